#include "core/detail/blas_handles.h"

#include <unordered_map>

#include "core/detail/cuda_check.h"

namespace cuseq::detail {

cublasHandle_t cublas_handle(int device_index, cudaStream_t stream) {
  // Handles are not thread-safe, so each thread keeps its own. They are never
  // destroyed: at exit the CUDA context may already be gone, and the driver
  // reclaims them anyway (PyTorch does the same).
  thread_local std::unordered_map<int, cublasHandle_t> handles;
  cublasHandle_t& handle = handles[device_index];
  if (handle == nullptr) CUSEQ_CUBLAS_CHECK(cublasCreate(&handle));
  CUSEQ_CUBLAS_CHECK(cublasSetStream(handle, stream));
  return handle;
}

}  // namespace cuseq::detail
