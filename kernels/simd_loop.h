// CUSEQ_SIMD_LOOP before a loop of independent iterations in math shared by
// both backends: the CPU build vectorizes it (`omp simd`, -fopenmp-simd), where
// GCC would otherwise unroll a short fixed-length loop into scalar code; nvcc,
// which compiles the same header for the GPU, leaves it out. A macro: a pragma
// cannot come from a function.
#pragma once

#if defined(__CUDACC__)
#define CUSEQ_SIMD_LOOP
#else
#define CUSEQ_SIMD_LOOP _Pragma("omp simd")
#endif
