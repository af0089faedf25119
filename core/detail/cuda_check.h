// Checks every CUDA runtime, cuBLAS and cuDNN call: a failure throws a
// cuseq::Error naming the call, the file, the line and the library's message.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>
// cuDNN is optional (only its comparison backends use it) and never emulated.
#if __has_include(<cudnn.h>) && !defined(CUSEQ_EMULATED_GPU)
#define CUSEQ_CUDNN_HEADER 1
#include <cudnn.h>
#endif

namespace cuseq::detail {

void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line);
void throw_cublas_error(cublasStatus_t status, const char* call, const char* file, int line);

#if defined(CUSEQ_CUDNN_HEADER)
void throw_cudnn_error(cudnnStatus_t status, const char* call, const char* file, int line);
inline void check_cudnn_status(cudnnStatus_t status, const char* call, const char* file, int line) {
  if (status != CUDNN_STATUS_SUCCESS) throw_cudnn_error(status, call, file, line);
}
#endif

inline void check_cuda_status(cudaError_t status, const char* call, const char* file, int line) {
  if (status != cudaSuccess) throw_cuda_error(status, call, file, line);
}
inline void check_cublas_status(cublasStatus_t status, const char* call, const char* file,
                                int line) {
  if (status != CUBLAS_STATUS_SUCCESS) throw_cublas_error(status, call, file, line);
}

}  // namespace cuseq::detail

// Macros only to capture the call text, file and line.
#define CUSEQ_CUDA_CHECK(call) ::cuseq::detail::check_cuda_status((call), #call, __FILE__, __LINE__)
#define CUSEQ_CUBLAS_CHECK(call) \
  ::cuseq::detail::check_cublas_status((call), #call, __FILE__, __LINE__)
#define CUSEQ_CUDNN_CHECK(call) \
  ::cuseq::detail::check_cudnn_status((call), #call, __FILE__, __LINE__)
// After a kernel launch: reports launch-configuration errors at the launch site.
#define CUSEQ_CUDA_CHECK_LAUNCH() CUSEQ_CUDA_CHECK(cudaGetLastError())
