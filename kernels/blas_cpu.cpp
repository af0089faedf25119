// Row-major GEMM through OpenBLAS' cblas, on every thread of cuseq's pool for
// large products.
//
// OpenBLAS itself runs single-threaded: Debian's libopenblas is the pthreads
// build, whose own worker pool spins after every call, and beside our
// threads on the same cores the two pools preempt each other (an LSTM training
// step 15-17x slower with OpenMP's OMP_WAIT_POLICY=ACTIVE on the shared 2-core VM).
// Instead a product above kParallelGemmFlops is cut into one block of C per
// thread along its longer side, and each thread makes one
// single-threaded OpenBLAS call on its block: concurrent callers are safe, and
// on the idle VM two blocks ran [32, 128] x [128, 512] 1.3x and
// [1600, 256] x [256, 1024] 1.8x as fast as one call (bench/results/cpu-vm).
// Every element of C comes from exactly one call over the whole k extent, so
// the result does not depend on how the threads are scheduled. (An earlier
// attempt measured 20-40x slower: that was OpenMP's spinning threads on cores
// overloaded by other processes, which stalls every parallel loop, see
// bench/results/cpu-vm/README.md.)
#include "kernels/blas_cpu.h"

#include <cblas.h>

#include <algorithm>

#include "core/detail/thread_pool.h"

namespace cuseq::detail {
namespace {

// Each block does at least this many FLOPs (2 m n k): below, waking the second
// thread costs more than it saves. A [8, 128] x [128, 512] step GEMM (1 MFLOP,
// ~10 us) stays on one thread: two gain with OpenMP's default (spinning)
// waiting but lose with OMP_WAIT_POLICY=PASSIVE; from 2 MFLOP both gain.
constexpr double kParallelGemmFlops = 1 << 20;
// Block edges fall on multiples of this many rows or columns (the SIMD width
// of OpenBLAS' AVX-512 float kernels), so no block gets a ragged tail but the last.
constexpr std::int64_t kBlockMultiple = 16;

void make_openblas_single_threaded() {
  static const bool done = (openblas_set_num_threads(1), true);
  (void)done;
}

CBLAS_TRANSPOSE cblas_op(bool transpose) { return transpose ? CblasTrans : CblasNoTrans; }

template <class T>
struct Gemm {
  bool transpose_a, transpose_b;
  std::int64_t m, n, k;
  T alpha;
  const T* a;
  std::int64_t lda;
  const T* b;
  std::int64_t ldb;
  T beta;
  T* c;
  std::int64_t ldc;

  // Rows [begin, end) of C: rows of op(a).
  Gemm rows(std::int64_t begin, std::int64_t end) const {
    Gemm part = *this;
    part.m = end - begin;
    part.a = a + (transpose_a ? begin : begin * lda);
    part.c = c + begin * ldc;
    return part;
  }
  // Columns [begin, end) of C: columns of op(b).
  Gemm columns(std::int64_t begin, std::int64_t end) const {
    Gemm part = *this;
    part.n = end - begin;
    part.b = b + (transpose_b ? begin * ldb : begin);
    part.c = c + begin;
    return part;
  }
};

void call_openblas(const Gemm<float>& g) {
  cblas_sgemm(CblasRowMajor, cblas_op(g.transpose_a), cblas_op(g.transpose_b),
              static_cast<blasint>(g.m), static_cast<blasint>(g.n), static_cast<blasint>(g.k),
              g.alpha, g.a, static_cast<blasint>(g.lda), g.b, static_cast<blasint>(g.ldb), g.beta,
              g.c, static_cast<blasint>(g.ldc));
}

void call_openblas(const Gemm<double>& g) {
  cblas_dgemm(CblasRowMajor, cblas_op(g.transpose_a), cblas_op(g.transpose_b),
              static_cast<blasint>(g.m), static_cast<blasint>(g.n), static_cast<blasint>(g.k),
              g.alpha, g.a, static_cast<blasint>(g.lda), g.b, static_cast<blasint>(g.ldb), g.beta,
              g.c, static_cast<blasint>(g.ldc));
}

// How many blocks of C to compute in parallel: one per thread, none smaller
// than kParallelGemmFlops or kBlockMultiple wide; 1 inside a parallel loop.
std::int64_t block_count(std::int64_t m, std::int64_t n, std::int64_t k) {
  const double flops =
      2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  const auto by_work = static_cast<std::int64_t>(flops / kParallelGemmFlops);
  const std::int64_t by_width = std::max(m, n) / kBlockMultiple;
  return std::max<std::int64_t>(1, std::min({std::int64_t{parallel_width()}, by_work, by_width}));
}

template <class T>
void gemm_in_blocks(const Gemm<T>& g) {
  make_openblas_single_threaded();
  const std::int64_t blocks = block_count(g.m, g.n, g.k);
  if (blocks == 1) return call_openblas(g);
  // The longer side is cut: a [batch, 4 units] step GEMM by columns, the
  // [batch * steps, 4 units] input projection by rows.
  const bool by_rows = g.m > g.n;
  const std::int64_t extent = by_rows ? g.m : g.n;
  const std::int64_t per_block =
      (extent / blocks + kBlockMultiple - 1) / kBlockMultiple * kBlockMultiple;
  parallel_tasks(blocks, [&](std::int64_t block) {
    const std::int64_t begin = block * per_block;
    const std::int64_t end = block == blocks - 1 ? extent : std::min(extent, begin + per_block);
    if (begin < end) call_openblas(by_rows ? g.rows(begin, end) : g.columns(begin, end));
  });
}

}  // namespace

void blas_gemm(bool transpose_a, bool transpose_b, std::int64_t m, std::int64_t n, std::int64_t k,
               double alpha, const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
               double beta, float* c, std::int64_t ldc) {
  gemm_in_blocks(Gemm<float>{transpose_a, transpose_b, m, n, k, static_cast<float>(alpha), a, lda,
                             b, ldb, static_cast<float>(beta), c, ldc});
}

void blas_gemm(bool transpose_a, bool transpose_b, std::int64_t m, std::int64_t n, std::int64_t k,
               double alpha, const double* a, std::int64_t lda, const double* b, std::int64_t ldb,
               double beta, double* c, std::int64_t ldc) {
  gemm_in_blocks(
      Gemm<double>{transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc});
}

}  // namespace cuseq::detail
