// Must NOT compile (tests/layering/CMakeLists.txt): core sees no private kernels header.
#include "kernels/backend.h"
