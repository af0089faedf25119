// Mixed-precision GEMM (GPU only): cuseq::ops::gemm on float32 tensors under a
// bfloat16 or float16 GemmPrecision (operands rounded on the fly, tensor-core
// cublasGemmEx, float32 accumulation) against a direct float32 cublasSgemm on
// the same shapes; the FLOP/s ratio is the speedup mixed precision buys,
// net of the operand casts.
#include "bench_support.h"
#include "gemm_reference.h"

namespace cuseq::bench {
namespace {

// Square matrices, an LSTM step [batch, hidden] x [hidden, 4 hidden], and a
// softmax projection [batch * steps, hidden] x [hidden, vocab].
void precision_shapes(benchmark::internal::Benchmark* b) {
  b->Args({1024, 1024, 1024});
  b->Args({4096, 4096, 4096});
  b->Args({64, 4096, 1024});
  b->Args({4096, 8192, 1024});
  b->ArgNames({"m", "n", "k"});
}

void run_cuseq_gemm(benchmark::State& state, GemmPrecision precision) {
  const Device device = Device::cuda(0);
  if (!prepare_device(state, device)) return;
  const std::int64_t m = state.range(0), n = state.range(1), k = state.range(2);
  const Tensor a = random_input({m, k}, device, 1), b = random_input({k, n}, device, 2);
  Tensor c = Tensor::empty({m, n}, DType::float32, device);
  const GemmPrecisionGuard guard(precision);
  state.SetLabel(gemm_precision_name(precision) + " operands, float32 accumulation");
  for (auto _ : state) {
    ops::gemm(a, false, b, false, c);
    finish(device);
  }
  report_rates(state, gemm_bytes(m, n, k), gemm_flops(m, n, k));
}

void BM_GemmBf16_cuseq(benchmark::State& state) { run_cuseq_gemm(state, GemmPrecision::bfloat16); }
BENCHMARK(BM_GemmBf16_cuseq)->Apply(precision_shapes)->UseRealTime();

void BM_GemmFp16_cuseq(benchmark::State& state) { run_cuseq_gemm(state, GemmPrecision::float16); }
BENCHMARK(BM_GemmFp16_cuseq)->Apply(precision_shapes)->UseRealTime();

// The float32 baseline: cuBLAS' sgemm, called directly.
void BM_GemmFp32_reference(benchmark::State& state) {
  const Device device = Device::cuda(0);
  if (!prepare_device(state, device)) return;
#if defined(CUSEQ_BENCH_WITH_CUDA)
  const std::int64_t m = state.range(0), n = state.range(1), k = state.range(2);
  const Tensor a = random_input({m, k}, device, 1), b = random_input({k, n}, device, 2);
  Tensor c = Tensor::empty({m, n}, DType::float32, device);
  run_cublas_sgemm(state, a, b, c);
#endif
}
BENCHMARK(BM_GemmFp32_reference)->Apply(precision_shapes)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
