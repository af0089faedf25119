// Must NOT compile (tests/layering/CMakeLists.txt): kernels see no public layers header.
#include "cuseq/dense.h"
