// GEMM: cuseq::ops::gemm (OpenBLAS on the CPU, cuBLAS on the GPU) against
// oneDNN's sgemm on the CPU and a direct cublasSgemm call on the GPU, so the
// dispatch overhead shows. The GFLOP/s here is the roofline later kernels
// (recurrent steps are GEMMs plus pointwise work) are compared with.
#include "bench_support.h"

#if defined(CUSEQ_BENCH_WITH_DNNL)
#include <dnnl.h>
#endif
#if defined(CUSEQ_BENCH_WITH_CUDA)
#include <cublas_v2.h>
#include <cuda_runtime.h>
#endif

namespace cuseq::bench {
namespace {

// Shapes: square matrices, and a recurrent step [batch, hidden] x [hidden, 4 hidden].
void gemm_shapes(benchmark::internal::Benchmark* b) {
  for (const std::int64_t device : {0, 1}) {
    b->Args({device, 256, 256, 256});
    b->Args({device, 1024, 1024, 1024});
    b->Args({device, 64, 2048, 512});
  }
  b->ArgNames({"gpu", "m", "n", "k"});
}

double gemm_flops(benchmark::State& state) {
  return 2.0 * static_cast<double>(state.range(1) * state.range(2) * state.range(3));
}

void BM_Gemm_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const std::int64_t m = state.range(1), n = state.range(2), k = state.range(3);
  const Tensor a = random_input({m, k}, device, 1), b = random_input({k, n}, device, 2);
  Tensor c = Tensor::empty({m, n}, DType::float32, device);
  for (auto _ : state) {
    ops::gemm(a, false, b, false, c);
    finish(device);
  }
  report_rates(state, 4.0 * static_cast<double>(m * k + k * n + m * n), gemm_flops(state));
}
BENCHMARK(BM_Gemm_cuseq)->Apply(gemm_shapes)->UseRealTime();

void BM_Gemm_reference(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const std::int64_t m = state.range(1), n = state.range(2), k = state.range(3);
  const Tensor a = random_input({m, k}, device, 1), b = random_input({k, n}, device, 2);
  Tensor c = Tensor::empty({m, n}, DType::float32, device);
  if (device.is_cpu()) {
#if defined(CUSEQ_BENCH_WITH_DNNL)
    state.SetLabel("oneDNN sgemm");
    for (auto _ : state) {
      dnnl_sgemm('N', 'N', m, n, k, 1.0f, a.data<float>(), k, b.data<float>(), n, 0.0f,
                 c.data<float>(), n);
    }
#else
    state.SkipWithError("built without oneDNN (libdnnl-dev)");
    return;
#endif
  } else {
#if defined(CUSEQ_BENCH_WITH_CUDA)
    state.SetLabel("cublasSgemm");
    cublasHandle_t handle = nullptr;
    cublasCreate(&handle);
    const float one = 1.0f, zero = 0.0f;
    for (auto _ : state) {
      cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, static_cast<int>(n), static_cast<int>(m),
                  static_cast<int>(k), &one, b.data<float>(), static_cast<int>(n), a.data<float>(),
                  static_cast<int>(k), &zero, c.data<float>(), static_cast<int>(n));
      cudaDeviceSynchronize();
    }
    cublasDestroy(handle);
#endif
  }
  report_rates(state, 4.0 * static_cast<double>(m * k + k * n + m * n), gemm_flops(state));
}
BENCHMARK(BM_Gemm_reference)->Apply(gemm_shapes)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
