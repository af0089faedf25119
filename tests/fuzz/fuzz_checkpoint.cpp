// Fuzzes the language-model checkpoint readers: read_checkpoint_config,
// LanguageModelTrainer::load_checkpoint and load_checkpoint_weights.
// Input: one mode byte, then bytes. Mode 0: the whole file. Mode 1: a payload,
// framed here with a valid header and CRC-32.
#include "cuseq/cuseq.h"
#include "forged_file.h"
#include "fuzz_input.h"

namespace {

using namespace cuseq;

std::string framed(const std::string& payload) {
  std::string header = std::string("cuseqckp") + std::string(16, '\0');
  testing::put_le(header, 8, 1, 4);
  return testing::reframe(header, 0, payload);
}

// A tiny model and trainer over a 40-token corpus, made once.
struct Reference {
  Reference() : corpus(make_corpus()), model(config(), Device::cpu()) {
    LanguageModelTrainOptions options;
    options.batch_size = 2;
    options.steps_per_window = 3;
    options.verbose = 0;
    trainer = std::make_unique<LanguageModelTrainer>(model, corpus, options);
  }
  static TokenFile make_corpus() {
    const std::string path = fuzz::scratch_path("corpus.tok");
    TokenFileWriter writer(path, 5, TokenUnit::utf8_char);
    for (std::uint32_t i = 0; i < 40; ++i) writer.append(i % 5);
    writer.finish();
    return TokenFile::open(path);
  }
  static LanguageModelConfig config() {
    LanguageModelConfig c;
    c.vocab_size = 5;
    c.embedding_dim = 3;
    c.units = 4;
    c.layers = 2;
    return c;
  }
  TokenFile corpus;
  LanguageModel model;
  std::unique_ptr<LanguageModelTrainer> trainer;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Reference reference;
  if (size == 0) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string path = fuzz::scratch_path("model.ckpt");
  fuzz::write_file(path, data[0] % 2 == 0 ? bytes : framed(bytes));
  fuzz::refuse_cleanly([&] { read_checkpoint_config(path); });
  fuzz::refuse_cleanly([&] { reference.trainer->load_checkpoint(path); });
  fuzz::refuse_cleanly([&] { load_checkpoint_weights(path, reference.model); });
  return 0;
}
