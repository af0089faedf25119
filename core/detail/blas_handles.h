// One cuBLAS handle per GPU and thread, created on first use and bound to the
// stream the caller launches on, with a workspace of that stream's own.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

namespace cuseq::detail {

cublasHandle_t cublas_handle(int device_index, cudaStream_t stream);
// Frees the workspace of `stream` (after its queued work): called as the stream is destroyed.
void release_cublas_workspace(cudaStream_t stream) noexcept;

}  // namespace cuseq::detail
