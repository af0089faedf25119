// Must NOT compile (tests/layering/CMakeLists.txt): kernels see no private layers header.
#include "layers/io/atomic_file.h"
