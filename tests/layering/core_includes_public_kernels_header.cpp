// Must NOT compile (tests/layering/CMakeLists.txt): core sees no public kernels header.
#include "cuseq/ops.h"
