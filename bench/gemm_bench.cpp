// GEMM: cuseq::ops::gemm (OpenBLAS on the CPU, cuBLAS on the GPU) against
// oneDNN's sgemm on the CPU and a direct cublasSgemm call on the GPU, so the
// dispatch overhead shows. The GFLOP/s here is the roofline later kernels
// (recurrent steps are GEMMs plus pointwise work) are compared with.
#include "bench_support.h"
#include "gemm_reference.h"

#if defined(CUSEQ_BENCH_WITH_DNNL)
#include <dnnl.h>
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
  report_rates(state, gemm_bytes(m, n, k), gemm_flops(m, n, k));
}
BENCHMARK(BM_Gemm_cuseq)->Apply(gemm_shapes)->UseRealTime();

void BM_Gemm_reference(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const std::int64_t m = state.range(1), n = state.range(2), k = state.range(3);
  const Tensor a = random_input({m, k}, device, 1), b = random_input({k, n}, device, 2);
  Tensor c = Tensor::empty({m, n}, DType::float32, device);
  if (device.is_cuda()) {
#if defined(CUSEQ_BENCH_WITH_CUDA)
    run_cublas_sgemm(state, a, b, c);
#endif
    return;
  }
#if defined(CUSEQ_BENCH_WITH_DNNL)
  state.SetLabel("oneDNN sgemm");
  for (auto _ : state) {
    dnnl_sgemm('N', 'N', m, n, k, 1.0f, a.data<float>(), k, b.data<float>(), n, 0.0f,
               c.data<float>(), n);
  }
  report_rates(state, gemm_bytes(m, n, k), gemm_flops(m, n, k));
#else
  state.SkipWithError("built without oneDNN (libdnnl-dev)");
#endif
}
BENCHMARK(BM_Gemm_reference)->Apply(gemm_shapes)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
