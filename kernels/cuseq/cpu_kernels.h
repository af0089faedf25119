// Which copy of the CPU kernels' inner loops this process runs: each is
// compiled for the library's baseline and, on x86-64, also for AVX2 and for
// AVX-512, and the best the CPU supports is chosen once (README, "Building by
// hand"). The environment's CUSEQ_CPU_LEVEL (baseline, avx2 or avx512) caps
// the choice, to compare the copies.
#pragma once

#include "cuseq/export.h"

namespace cuseq {

// "avx512", "avx2" or "baseline"; "single" where the build has one copy,
// compiled like the rest of the library (CUSEQ_NATIVE=ON, a CPU other than
// x86-64, a compiler other than GCC).
CUSEQ_API const char* cpu_kernel_level();

}  // namespace cuseq
