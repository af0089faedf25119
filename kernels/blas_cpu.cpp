// Row-major GEMM through OpenBLAS' cblas.
//
// OpenBLAS runs single-threaded: Debian's libopenblas is the pthreads build,
// whose own worker pool spins after every call, and beside our OpenMP threads
// on the same cores the two pools preempt each other. On the shared 2-core VM
// (noisy) an LSTM training step was 15-17x slower with OMP_WAIT_POLICY=ACTIVE
// and stalled for seconds under load; with the default waiting, one pool ran
// bench_recurrent 0.84-1.49x and bench_gemm 0.9-1.3x as fast as two. Splitting
// C into panels over OpenMP threads, each calling the single-threaded OpenBLAS,
// was tried and measured 20-40x slower (this build is not made for concurrent
// callers), so a large GEMM stays on one core until an OpenMP OpenBLAS is linked.
#include "kernels/blas_cpu.h"

#include <cblas.h>

namespace cuseq::detail {
namespace {

void make_openblas_single_threaded() {
  static const bool done = (openblas_set_num_threads(1), true);
  (void)done;
}

CBLAS_TRANSPOSE cblas_op(bool transpose) { return transpose ? CblasTrans : CblasNoTrans; }

}  // namespace

void blas_gemm(bool transpose_a, bool transpose_b, std::int64_t m, std::int64_t n, std::int64_t k,
               double alpha, const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
               double beta, float* c, std::int64_t ldc) {
  make_openblas_single_threaded();
  cblas_sgemm(CblasRowMajor, cblas_op(transpose_a), cblas_op(transpose_b), static_cast<blasint>(m),
              static_cast<blasint>(n), static_cast<blasint>(k), static_cast<float>(alpha), a,
              static_cast<blasint>(lda), b, static_cast<blasint>(ldb), static_cast<float>(beta), c,
              static_cast<blasint>(ldc));
}

void blas_gemm(bool transpose_a, bool transpose_b, std::int64_t m, std::int64_t n, std::int64_t k,
               double alpha, const double* a, std::int64_t lda, const double* b, std::int64_t ldb,
               double beta, double* c, std::int64_t ldc) {
  make_openblas_single_threaded();
  cblas_dgemm(CblasRowMajor, cblas_op(transpose_a), cblas_op(transpose_b), static_cast<blasint>(m),
              static_cast<blasint>(n), static_cast<blasint>(k), alpha, a, static_cast<blasint>(lda),
              b, static_cast<blasint>(ldb), beta, c, static_cast<blasint>(ldc));
}

}  // namespace cuseq::detail
