// Row-major GEMM on raw host pointers through OpenBLAS: the one place the CPU
// kernels call cblas (ops::gemm's CPU twin and the im2col convolution).
#pragma once

#include <cstdint>

namespace cuseq::detail {

// c = alpha * op(a) @ op(b) + beta * c with leading dimensions as stored.
void blas_gemm(bool transpose_a, bool transpose_b, std::int64_t m, std::int64_t n, std::int64_t k,
               double alpha, const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
               double beta, float* c, std::int64_t ldc);
void blas_gemm(bool transpose_a, bool transpose_b, std::int64_t m, std::int64_t n, std::int64_t k,
               double alpha, const double* a, std::int64_t lda, const double* b, std::int64_t ldb,
               double beta, double* c, std::int64_t ldc);

}  // namespace cuseq::detail
