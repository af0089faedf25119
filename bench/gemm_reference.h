// What the GEMM benchmarks share: the rates of C[m, n] = A[m, k] B[k, n] in
// float32, and the direct cublasSgemm call both measure cuseq against.
#pragma once

#include "bench_support.h"

#if defined(CUSEQ_BENCH_WITH_CUDA)
#include <cublas_v2.h>
#include <cuda_runtime.h>
#endif

namespace cuseq::bench {

inline double gemm_flops(std::int64_t m, std::int64_t n, std::int64_t k) {
  return 2.0 * static_cast<double>(m * n * k);
}

// A and B read, C written, 4-byte elements.
inline double gemm_bytes(std::int64_t m, std::int64_t n, std::int64_t k) {
  return 4.0 * static_cast<double>(m * k + k * n + m * n);
}

#if defined(CUSEQ_BENCH_WITH_CUDA)
// Times cublasSgemm on row-major float32 GPU tensors a [m, k], b [k, n] into c [m, n].
inline void run_cublas_sgemm(benchmark::State& state, const Tensor& a, const Tensor& b, Tensor& c) {
  const auto m = static_cast<int>(a.dim(0)), k = static_cast<int>(a.dim(1));
  const auto n = static_cast<int>(b.dim(1));
  state.SetLabel("cublasSgemm");
  cublasHandle_t handle = nullptr;
  cublasCreate(&handle);
  const float one = 1.0f, zero = 0.0f;
  for (auto _ : state) {
    // Row-major C = A B as column-major C^T = B^T A^T.
    cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &one, b.data<float>(), n,
                a.data<float>(), k, &zero, c.data<float>(), n);
    cudaDeviceSynchronize();
  }
  cublasDestroy(handle);
  report_rates(state, gemm_bytes(m, n, k), gemm_flops(m, n, k));
}
#endif

}  // namespace cuseq::bench
