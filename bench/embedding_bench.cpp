// Embedding lookup and its deterministic gradient (sort + segment sums), on a
// batch of 64 sequences of 200 ids, 128 wide. No library has the op to
// compare with, so the reference is the copy roofline of the output's bytes.
#include "bench_support.h"
#include "roofline.h"

namespace cuseq::bench {
namespace {

constexpr std::int64_t kBatch = 64, kSteps = 200, kDim = 128;

void shapes(benchmark::internal::Benchmark* b) {
  // A small vocabulary repeats ids often (long segments); a large one rarely.
  for (const std::int64_t device : {0, 1}) {
    for (const std::int64_t vocabulary : {100, 20000}) b->Args({device, vocabulary});
  }
  b->ArgNames({"gpu", "vocab"});
}

Tensor random_ids(std::int64_t vocabulary, Device device) {
  Tensor uniform = random_input({kBatch, kSteps}, Device::cpu(), 3);
  std::vector<std::int32_t> ids;
  for (const float u : uniform.to_vector<float>()) {
    ids.push_back(
        static_cast<std::int32_t>((u + 1.0f) * 0.5f * static_cast<float>(vocabulary - 1)));
  }
  return Tensor::from_vector(ids, {kBatch, kSteps}, device);
}

// Ids, then one table row read and one output row written per position.
double lookup_bytes() { return kBatch * kSteps * (4.0 + 8.0 * kDim); }

void BM_EmbeddingLookup_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const Tensor ids = random_ids(state.range(1), device);
  const Tensor table = random_input({state.range(1), kDim}, device);
  Tensor out = Tensor::empty({kBatch, kSteps, kDim}, DType::float32, device);
  for (auto _ : state) {
    ops::embedding_lookup(ids, table, out);
    finish(device);
  }
  report_rates(state, lookup_bytes());
}
BENCHMARK(BM_EmbeddingLookup_cuseq)->Apply(shapes)->UseRealTime();

void BM_EmbeddingGrad_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const Tensor ids = random_ids(state.range(1), device);
  const Tensor grad_out = random_input({kBatch, kSteps, kDim}, device);
  Tensor grad_table = Tensor::zeros({state.range(1), kDim}, DType::float32, device);
  for (auto _ : state) {
    ops::embedding_grad(ids, grad_out, grad_table);
    finish(device);
  }
  // Every gradient row read once; at most one table row read and written per position.
  report_rates(state, lookup_bytes());
}
BENCHMARK(BM_EmbeddingGrad_cuseq)->Apply(shapes)->UseRealTime();

void BM_Embedding_roofline(benchmark::State& state) {
  run_copy_roofline(state, device_of(state.range(0)), kBatch * kSteps * kDim);
}
BENCHMARK(BM_Embedding_roofline)->Apply(shapes)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
