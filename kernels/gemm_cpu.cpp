// CPU GEMM of ops::gemm: OpenBLAS (kernels/blas_cpu.h), row-major. Always in
// the tensors' own precision: the mixed-precision GemmPrecision
// (cuseq/precision.h) applies to the CUDA GEMM only.
#include "kernels/backend.h"
#include "kernels/blas_cpu.h"
#include "kernels/gemm_shape.h"

namespace cuseq::detail {

template <>
void Kernels<Cpu>::gemm(const Tensor& a, bool transpose_a, const Tensor& b, bool transpose_b,
                        Tensor& c, double alpha, double beta) {
  const GemmShape s = gemm_shape(a, transpose_a, b, transpose_b);
  if (s.m == 0 || s.n == 0) return;
  if (c.dtype() == DType::float32) {
    blas_gemm(transpose_a, transpose_b, s.m, s.n, s.k, alpha, a.data<float>(), s.lda,
              b.data<float>(), s.ldb, beta, c.data<float>(), s.ldc);
  } else {
    blas_gemm(transpose_a, transpose_b, s.m, s.n, s.k, alpha, a.data<double>(), s.lda,
              b.data<double>(), s.ldb, beta, c.data<double>(), s.ldc);
  }
}

}  // namespace cuseq::detail
