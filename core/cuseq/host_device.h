// Lets one inline function serve both the CUDA kernels and their CPU twins.
#pragma once

#if defined(__CUDACC__)
#define CUSEQ_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define CUSEQ_HOST_DEVICE inline
#endif
