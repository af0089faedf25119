// Language-model training: tokens/s of one truncated-BPTT step (forward,
// backward, clipping, Adam) for the char_lm model (2 x 128-unit LSTM, batch 32,
// 64 steps); bench/char_lm_torch.py times the same model in PyTorch as the
// reference. And memory against corpus size: a trainer's resident-memory
// growth over 50 steps on a 4 M and a 64 M-token corpus (flat: the token
// file is mapped and only the windows read are touched).
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "bench_support.h"

namespace cuseq::bench {
namespace {

constexpr std::int64_t kVocab = 96, kBatch = 32, kSteps = 64;

std::string write_corpus(std::uint64_t tokens) {
  const std::string path =
      "/tmp/cuseq_lm_bench_" + std::to_string(::getpid()) + "_" + std::to_string(tokens) + ".tok";
  TokenFileWriter writer(path, kVocab, TokenUnit::utf8_char);
  std::vector<std::uint32_t> chunk(1 << 16);
  for (std::uint64_t done = 0; done < tokens; done += chunk.size()) {
    for (std::size_t i = 0; i < chunk.size(); ++i)
      chunk[i] = static_cast<std::uint32_t>((done + i * 7919) % kVocab);
    writer.append(chunk.data(), std::min<std::uint64_t>(chunk.size(), tokens - done));
  }
  writer.finish();
  return path;
}

LanguageModelConfig char_lm_config() {
  LanguageModelConfig config;
  config.vocab_size = kVocab;
  config.embedding_dim = 32;
  config.units = 128;
  config.layers = 2;
  return config;
}

LanguageModelTrainOptions char_lm_options() {
  LanguageModelTrainOptions options;
  options.batch_size = kBatch;
  options.steps_per_window = kSteps;
  options.global_clipnorm = 5.0;
  options.verbose = 0;
  return options;
}

double resident_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0.0;
}

void BM_CharLmTrainStep_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(0));
  if (!prepare_device(state, device)) return;
  const std::string path = write_corpus(std::uint64_t{1} << 22);
  {
    const TokenFile corpus = TokenFile::open(path);
    LanguageModel model(char_lm_config(), device);
    LanguageModelTrainer trainer(model, corpus, char_lm_options());
    trainer.train_step();  // slots and buffers
    for (auto _ : state) {
      trainer.train_step();
      finish(device);
    }
    state.counters["tokens_per_second"] = benchmark::Counter(
        static_cast<double>(kBatch * kSteps), benchmark::Counter::kIsIterationInvariantRate);
  }
  std::remove(path.c_str());
}
BENCHMARK(BM_CharLmTrainStep_cuseq)
    ->ArgName("gpu")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_LmResidentGrowthByCorpus_cuseq(benchmark::State& state) {
  const std::string path = write_corpus(static_cast<std::uint64_t>(state.range(0)) << 20);
  {
    const TokenFile corpus = TokenFile::open(path, TokenFileOptions{false});
    LanguageModel model(char_lm_config(), Device::cpu());
    LanguageModelTrainer trainer(model, corpus, char_lm_options());
    trainer.train_step();
    const double before = resident_mb();
    for (auto _ : state) {
      for (int i = 0; i < 50; ++i) trainer.train_step();
    }
    state.counters["rss_growth_mb"] = resident_mb() - before;
    state.counters["corpus_mb"] =
        static_cast<double>(corpus.count() * corpus.token_bytes()) / (1 << 20);
  }
  std::remove(path.c_str());
}
BENCHMARK(BM_LmResidentGrowthByCorpus_cuseq)
    ->Arg(4)
    ->Arg(64)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cuseq::bench
