// Training that goes non-finite stops with a clear message and keeps the last
// good checkpoint (Keras' TerminateOnNaN; the language-model trainer's default).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "token_test_support.h"

namespace cuseq {
namespace {

using testing::expect_error_mentions;
using testing::read_bytes;
using testing::temp_path;

std::string cyclic_corpus(const std::string& name) {
  const std::string path = temp_path(name);
  std::vector<std::uint32_t> ids(400);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::uint32_t>(i % 5);
  testing::write_token_file(path, ids, 5);
  return path;
}

LanguageModelConfig tiny_config() {
  LanguageModelConfig config;
  config.vocab_size = 5;
  config.embedding_dim = 4;
  config.units = 6;
  config.layers = 1;
  return config;
}

LanguageModelTrainOptions tiny_options(const std::string& checkpoint) {
  LanguageModelTrainOptions options;
  options.batch_size = 4;
  options.steps_per_window = 5;
  options.max_steps = 6;
  options.checkpoint_path = checkpoint;
  options.checkpoint_every = 1;
  options.verbose = 0;
  return options;
}

// Makes every weight of the model's first layer NaN.
void poison(LanguageModel& model) {
  auto weights = model.model().layer(0).get_weights();
  for (Tensor& weight : weights) {
    const std::vector<float> nans(static_cast<std::size_t>(weight.numel()),
                                  std::numeric_limits<float>::quiet_NaN());
    weight = Tensor::from_vector<float>(nans, weight.shape());
  }
  model.model().layer(0).set_weights(weights);
}

TEST(TrainingGuard, LanguageModelStopsAtANonFiniteLossAndKeepsTheLastGoodCheckpoint) {
  const std::string corpus = cyclic_corpus("guard.tok");
  const std::string checkpoint = temp_path("guard.ckpt");
  const TokenFile tokens = TokenFile::open(corpus);
  LanguageModel model(tiny_config(), Device::cpu());
  LanguageModelTrainer trainer(model, tokens, tiny_options(checkpoint));
  trainer.train_step();
  trainer.save_checkpoint(checkpoint);
  const std::string good = read_bytes(checkpoint);
  poison(model);
  expect_error_mentions([&] { trainer.fit(); }, {"nan", "step 2", checkpoint, "kept"});
  EXPECT_EQ(read_bytes(checkpoint), good);
  std::remove(checkpoint.c_str());
  std::remove(corpus.c_str());
}

TEST(TrainingGuard, NonFiniteWeightsAreNeverCheckpointed) {
  const std::string corpus = cyclic_corpus("guard_weights.tok");
  const std::string checkpoint = temp_path("guard_weights.ckpt");
  std::remove(checkpoint.c_str());
  const TokenFile tokens = TokenFile::open(corpus);
  LanguageModelConfig config = tiny_config();
  config.vocab_size = 6;  // id 5 never occurs: its NaN embedding row leaves the loss finite
  LanguageModel model(config, Device::cpu());
  auto weights = model.model().layer(0).get_weights();
  std::vector<float> table = weights[0].to_vector<float>();
  for (std::int64_t i = 5 * config.embedding_dim; i < 6 * config.embedding_dim; ++i)
    table[static_cast<std::size_t>(i)] = std::numeric_limits<float>::quiet_NaN();
  weights[0] = Tensor::from_vector<float>(table, weights[0].shape());
  model.model().layer(0).set_weights(weights);
  LanguageModelTrainer trainer(model, tokens, tiny_options(checkpoint));
  expect_error_mentions([&] { trainer.fit(); }, {"non-finite", "embedding", checkpoint});
  EXPECT_FALSE(std::ifstream(checkpoint).good())
      << "a checkpoint of non-finite weights was written";
  std::remove(corpus.c_str());
}

// A model whose loss turns NaN at its third batch: x row 2 is NaN-free but huge.
TEST(TrainingGuard, TerminateOnNaNStopsFitAtTheFirstNonFiniteBatchLoss) {
  Sequential model;
  model.emplace<Dense>(1);
  model.build({1}, DType::float32, Device::cpu());
  model.compile("sgd", "mse");
  // Rows 0-1 train normally; row 2's square overflows float32 to Inf.
  const Tensor x = Tensor::from_vector<float>({0.5f, -0.5f, 3e30f, 1.0f}, {4, 1});
  const Tensor y = Tensor::from_vector<float>({1, 0, 0, 1}, {4, 1});
  std::ostringstream message;
  const auto guard = std::make_shared<TerminateOnNaN>(&message);
  FitOptions options;
  options.epochs = 3;
  options.batch_size = 1;
  options.shuffle = false;
  options.verbose = 0;
  options.callbacks = {guard};
  const History history = model.fit(x, y, options);
  EXPECT_EQ(guard->stopped_epoch(), 0);
  EXPECT_EQ(guard->stopped_batch(), 2);
  EXPECT_EQ(history.epochs(), 1) << "fit() went on after the non-finite loss";
  EXPECT_NE(message.str().find("batch 2"), std::string::npos) << message.str();
  EXPECT_NE(message.str().find("terminating"), std::string::npos) << message.str();
}

TEST(TrainingGuard, ModelCheckpointKeepsTheLastGoodFileWhenTheLossDiverges) {
  const std::string path = temp_path("diverged.cuseq");
  Sequential model;
  model.emplace<Dense>(1);
  model.build({1}, DType::float32, Device::cpu());
  model.compile("sgd", "mse");
  ModelCheckpoint checkpoint(path, ModelCheckpointOptions{"loss", 0, false, true});
  checkpoint.on_train_begin(model);
  checkpoint.on_epoch_end(0, {{"loss", 0.5}}, model);
  const std::string good = read_bytes(path);
  model.layer(0).set_weights({Tensor::from_vector<float>({std::nanf("")}, {1, 1}),
                              Tensor::from_vector<float>({0.0f}, {1})});
  checkpoint.on_epoch_end(1, {{"loss", std::nan("")}}, model);
  EXPECT_EQ(read_bytes(path), good);
  EXPECT_EQ(checkpoint.saved_paths().size(), 1u);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace cuseq
