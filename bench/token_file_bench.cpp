// Training input: BPTT batches read from a memory-mapped token file, against
// the roofline of copying the same bytes with memcpy (what any loader must at
// least do: read the ids, write the inputs and targets).
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench_support.h"

namespace cuseq::bench {
namespace {

constexpr std::uint64_t kTokens = std::uint64_t{1} << 23;  // 16 MB of uint16 ids

// One token file for the whole run, removed at exit.
const TokenFile& corpus() {
  struct Corpus {
    std::string path = "/tmp/cuseq_token_file_bench_" + std::to_string(::getpid()) + ".tok";
    TokenFile file;
    Corpus() : file(make()) {}
    ~Corpus() { std::remove(path.c_str()); }
    TokenFile make() {
      TokenFileWriter writer(path, 256, TokenUnit::byte);
      std::vector<std::uint32_t> ids(kTokens);
      for (std::uint64_t i = 0; i < kTokens; ++i)
        ids[i] = static_cast<std::uint32_t>((i * 31) % 256);
      writer.append(ids.data(), ids.size());
      writer.finish();
      return TokenFile::open(path);
    }
  };
  static const Corpus corpus;
  return corpus.file;
}

void shapes(benchmark::internal::Benchmark* b) {
  b->Args({32, 128})->Args({128, 256})->Args({512, 64});
  b->ArgNames({"B", "T"});
}

// Per token: 2 bytes of ids read, 4 + 4 bytes of int32 inputs and targets written.
void report(benchmark::State& state, double tokens_per_iteration) {
  report_rates(state, 10.0 * tokens_per_iteration);
  state.counters["tokens/s"] = benchmark::Counter(
      tokens_per_iteration * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_BpttBatch_cuseq(benchmark::State& state) {
  BpttBatcher batcher(corpus(), state.range(0), state.range(1));
  for (auto _ : state) {
    BpttBatch batch = batcher.next();
    benchmark::DoNotOptimize(batch.inputs.raw_data());
  }
  report(state, static_cast<double>(state.range(0) * state.range(1)));
}
BENCHMARK(BM_BpttBatch_cuseq)->Apply(shapes)->UseRealTime();

// The least any loader does: copy each row's inputs and targets from ids
// already decoded in memory, with memcpy.
void BM_BpttBatch_roofline(benchmark::State& state) {
  const std::int64_t batch = state.range(0), steps = state.range(1);
  std::vector<std::int32_t> source(static_cast<std::size_t>(corpus().count()));
  corpus().copy_ids(0, source.size(), source.data());
  std::vector<std::int32_t> inputs(static_cast<std::size_t>(batch * steps)), targets(inputs.size());
  const std::int64_t length = static_cast<std::int64_t>(source.size()) / batch;
  const std::size_t row_bytes = static_cast<std::size_t>(steps) * sizeof(std::int32_t);
  std::int64_t window = 0;
  for (auto _ : state) {
    for (std::int64_t b = 0; b < batch; ++b) {
      const std::int32_t* row = source.data() + b * length + window * steps;
      std::memcpy(inputs.data() + b * steps, row, row_bytes);
      std::memcpy(targets.data() + b * steps, row + 1, row_bytes);
    }
    benchmark::DoNotOptimize(inputs.data());
    benchmark::DoNotOptimize(targets.data());
    window = (window + 1) % ((length - 1) / steps);
  }
  report(state, static_cast<double>(batch * steps));
}
BENCHMARK(BM_BpttBatch_roofline)->Apply(shapes)->UseRealTime();

}  // namespace
}  // namespace cuseq::bench
