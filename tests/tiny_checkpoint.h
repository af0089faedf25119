// A real checkpoint to forge: a tiny language model (vocabulary 5, embedding
// 3, `layers` LSTMs of 4 units) after one training step on `corpus`, saved to
// `path`. The checkpoint tests (forged_files_test.cpp) and the fuzzer's seeds
// (fuzz/make_seeds.cpp) start from it.
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/cuseq.h"

namespace cuseq::testing {

inline void save_tiny_checkpoint(const TokenFile& corpus, std::int64_t layers,
                                 const std::string& path) {
  LanguageModelConfig config;
  config.vocab_size = 5;
  config.embedding_dim = 3;
  config.units = 4;
  config.layers = layers;
  LanguageModel model(config, Device::cpu());
  LanguageModelTrainOptions options;
  options.batch_size = 2;
  options.steps_per_window = 3;
  options.verbose = 0;
  LanguageModelTrainer trainer(model, corpus, options);
  trainer.train_step();
  trainer.save_checkpoint(path);
}

}  // namespace cuseq::testing
