// CPU GEMM through OpenBLAS' cblas, row-major. Always in the tensors' own precision: the
// mixed-precision GemmPrecision (cuseq/precision.h) applies to the CUDA GEMM only.
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
#include <cblas.h>

#include "kernels/backend.h"
#include "kernels/gemm_shape.h"

namespace cuseq::detail {
namespace {

void make_openblas_single_threaded() {
  static const bool done = (openblas_set_num_threads(1), true);
  (void)done;
}

}  // namespace

template <>
void Kernels<Cpu>::gemm(const Tensor& a, bool transpose_a, const Tensor& b, bool transpose_b,
                        Tensor& c, double alpha, double beta) {
  const GemmShape s = gemm_shape(a, transpose_a, b, transpose_b);
  if (s.m == 0 || s.n == 0) return;
  make_openblas_single_threaded();
  const CBLAS_TRANSPOSE op_a = transpose_a ? CblasTrans : CblasNoTrans;
  const CBLAS_TRANSPOSE op_b = transpose_b ? CblasTrans : CblasNoTrans;
  const auto m = static_cast<blasint>(s.m), n = static_cast<blasint>(s.n),
             k = static_cast<blasint>(s.k);
  const auto lda = static_cast<blasint>(s.lda), ldb = static_cast<blasint>(s.ldb),
             ldc = static_cast<blasint>(s.ldc);
  if (c.dtype() == DType::float32) {
    cblas_sgemm(CblasRowMajor, op_a, op_b, m, n, k, static_cast<float>(alpha), a.data<float>(),
                lda, b.data<float>(), ldb, static_cast<float>(beta), c.data<float>(), ldc);
  } else {
    cblas_dgemm(CblasRowMajor, op_a, op_b, m, n, k, alpha, a.data<double>(), lda,
                b.data<double>(), ldb, beta, c.data<double>(), ldc);
  }
}

}  // namespace cuseq::detail
