// One cuBLAS handle per GPU and thread, created on first use and bound to the
// stream the caller launches on.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

namespace cuseq::detail {

cublasHandle_t cublas_handle(int device_index, cudaStream_t stream);

}  // namespace cuseq::detail
