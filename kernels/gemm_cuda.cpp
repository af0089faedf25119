// CUDA GEMM through cuBLAS. cuBLAS is column-major: a row-major C = A B is the
// column-major C^T = B^T A^T, so the operands are passed swapped.
//
// Under a bfloat16/float16 GemmPrecision (cuseq/precision.h), float32 A and B
// are first rounded into 16-bit copies (caching-allocator workspace, cast on
// the launch stream) and multiplied by cublasGemmEx with float32
// accumulation into the float32 C.
#include <cublas_v2.h>

#include "core/detail/blas_handles.h"
#include "core/detail/cuda_check.h"
#include "cuseq/precision.h"
#include "kernels/backend.h"
#include "kernels/cast.h"
#include "kernels/cuda_launch.h"
#include "kernels/gemm_shape.h"

namespace cuseq::detail {
namespace {

Tensor rounded_copy(const Tensor& x, DType dtype) {
  // Freed at the end of gemm() while cuBLAS may still read it: safe, because
  // the caching allocator hands a block out again only on the same stream.
  Tensor copy = Tensor::empty(x.shape(), dtype, x.device());
  CastKernels<Cuda>::cast(x, copy);
  return copy;
}

}  // namespace

template <>
void Kernels<Cuda>::gemm(const Tensor& a, bool transpose_a, const Tensor& b, bool transpose_b,
                         Tensor& c, double alpha, double beta) {
  const GemmShape s = gemm_shape(a, transpose_a, b, transpose_b);
  if (s.m == 0 || s.n == 0) return;
  const cublasHandle_t handle = cublas_handle(c.device().index(), launch_stream());
  const cublasOperation_t op_a = transpose_a ? CUBLAS_OP_T : CUBLAS_OP_N;
  const cublasOperation_t op_b = transpose_b ? CUBLAS_OP_T : CUBLAS_OP_N;
  const int m = static_cast<int>(s.m), n = static_cast<int>(s.n), k = static_cast<int>(s.k);
  const int lda = static_cast<int>(s.lda), ldb = static_cast<int>(s.ldb),
            ldc = static_cast<int>(s.ldc);
  const GemmPrecision precision = gemm_precision();
  if (c.dtype() == DType::float32 && precision != GemmPrecision::float32 && s.k > 0) {
    const bool bf16 = precision == GemmPrecision::bfloat16;
    const DType half = bf16 ? DType::bfloat16 : DType::float16;
    const cudaDataType_t half_type = bf16 ? CUDA_R_16BF : CUDA_R_16F;
    const Tensor a_half = rounded_copy(a, half), b_half = rounded_copy(b, half);
    const float alpha_f = static_cast<float>(alpha), beta_f = static_cast<float>(beta);
    CUSEQ_CUBLAS_CHECK(cublasGemmEx(handle, op_b, op_a, n, m, k, &alpha_f, b_half.raw_data(),
                                    half_type, ldb, a_half.raw_data(), half_type, lda, &beta_f,
                                    c.raw_data(), CUDA_R_32F, ldc, CUBLAS_COMPUTE_32F,
                                    CUBLAS_GEMM_DEFAULT));
  } else if (c.dtype() == DType::float32) {
    const float alpha_f = static_cast<float>(alpha), beta_f = static_cast<float>(beta);
    CUSEQ_CUBLAS_CHECK(cublasSgemm(handle, op_b, op_a, n, m, k, &alpha_f, b.data<float>(), ldb,
                                   a.data<float>(), lda, &beta_f, c.data<float>(), ldc));
  } else {
    CUSEQ_CUBLAS_CHECK(cublasDgemm(handle, op_b, op_a, n, m, k, &alpha, b.data<double>(), ldb,
                                   a.data<double>(), lda, &beta, c.data<double>(), ldc));
  }
}

}  // namespace cuseq::detail
