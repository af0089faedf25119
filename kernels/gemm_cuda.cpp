// CUDA GEMM through cuBLAS. cuBLAS is column-major: a row-major C = A B is the
// column-major C^T = B^T A^T, so the operands are passed swapped.
#include <cublas_v2.h>

#include "core/detail/blas_handles.h"
#include "core/detail/cuda_check.h"
#include "kernels/backend.h"
#include "kernels/cuda_launch.h"
#include "kernels/gemm_shape.h"

namespace cuseq::detail {

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
  if (c.dtype() == DType::float32) {
    const float alpha_f = static_cast<float>(alpha), beta_f = static_cast<float>(beta);
    CUSEQ_CUBLAS_CHECK(cublasSgemm(handle, op_b, op_a, n, m, k, &alpha_f, b.data<float>(), ldb,
                                   a.data<float>(), lda, &beta_f, c.data<float>(), ldc));
  } else {
    CUSEQ_CUBLAS_CHECK(cublasDgemm(handle, op_b, op_a, n, m, k, &alpha, b.data<double>(), ldb,
                                   a.data<double>(), lda, &beta, c.data<double>(), ldc));
  }
}

}  // namespace cuseq::detail
