#include "cuseq/language_model.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "token_test_support.h"

namespace cuseq {
namespace {

using testing::read_bytes;
using testing::temp_path;
using testing::write_bytes;

// "0 1 2 3 4 0 1 2 3 4 ..." as a character-level token file.
std::string pattern_corpus(const std::string& name, std::uint32_t period, std::size_t count) {
  const std::string path = temp_path(name);
  TokenFileWriter writer(path, period, TokenUnit::utf8_char);
  for (std::size_t i = 0; i < count; ++i) writer.append(static_cast<std::uint32_t>(i % period));
  writer.finish();
  return path;
}

// Pseudo-random ids, so that every step's gradients differ.
std::string noise_corpus(const std::string& name, std::uint32_t vocab, std::size_t count) {
  const std::string path = temp_path(name);
  TokenFileWriter writer(path, vocab, TokenUnit::utf8_char);
  std::uint64_t state = 12345;
  for (std::size_t i = 0; i < count; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    writer.append(static_cast<std::uint32_t>((state >> 33) % vocab));
  }
  writer.finish();
  return path;
}

LanguageModelConfig tiny_config(std::int64_t vocab, double dropout = 0.0) {
  LanguageModelConfig config;
  config.vocab_size = vocab;
  config.embedding_dim = 6;
  config.units = 12;
  config.layers = 2;
  config.dropout = dropout;
  config.recurrent_dropout = dropout;
  return config;
}

LanguageModelTrainOptions tiny_options() {
  LanguageModelTrainOptions options;
  options.batch_size = 4;
  options.steps_per_window = 6;
  options.learning_rate = 0.01;
  options.global_clipnorm = 5.0;
  options.verbose = 0;
  return options;
}

std::vector<std::vector<float>> weights_of(const LanguageModel& model) {
  std::vector<std::vector<float>> all;
  for (const auto& layer : model.model().get_weights()) {
    for (const Tensor& weight : layer) all.push_back(weight.to_vector<float>());
  }
  return all;
}

TEST(LanguageModel, LearnsToPredictARepeatingPattern) {
  // 500 tokens per stream: the 4 streams start at different phases of the period 7.
  const TokenFile corpus = TokenFile::open(pattern_corpus("pattern.tok", 7, 2000));
  LanguageModel model(tiny_config(7));
  LanguageModelTrainOptions options = tiny_options();
  options.max_steps = 120;
  LanguageModelTrainer trainer(model, corpus, options);
  double last = 0.0;
  for (int i = 0; i < options.max_steps; ++i) last = trainer.train_step();
  // Uniform guessing costs ln 7 = 1.95 nats; the pattern is fully predictable.
  EXPECT_LT(last, 0.1);
  // Greedy sampling continues the pattern (primed from where a stream starts).
  const std::vector<std::int32_t> drawn =
      model.sample({0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4}, 9, 0.0);
  for (std::size_t i = 0; i < drawn.size(); ++i) EXPECT_EQ(drawn[i], static_cast<int>((5 + i) % 7));
}

TEST(LanguageModel, BackwardReportsEachLayerLastToFirstOnceItsGradientsAreFinal) {
  LanguageModel model(tiny_config(7));
  Sequential& layers = model.model();
  for (std::size_t i = 0; i < layers.size(); ++i) layers.layer(i).zero_grad();
  RecurrentStates states;
  const Tensor ids =
      Tensor::from_vector(std::vector<std::int32_t>{0, 1, 2, 3, 4, 5}, Shape{2, 3}, model.device());
  const Tensor logits = model.forward(ids, true, states);
  const Tensor grad_logits = testing::random_tensor<float>(logits.shape(), 3, model.device());
  std::vector<std::string> order;
  std::vector<std::vector<float>> grads_when_reported;
  model.backward(grad_logits, [&](Layer& layer) {
    order.push_back(layer.name());
    for (Parameter* parameter : layer.parameters()) {
      grads_when_reported.push_back(parameter->grad.to_vector<float>());
    }
  });
  std::vector<std::string> expected_order;
  std::vector<std::vector<float>> final_grads;
  for (std::size_t i = layers.size(); i-- > 0;) {
    expected_order.push_back(layers.layer(i).name());
    for (Parameter* parameter : layers.layer(i).parameters()) {
      final_grads.push_back(parameter->grad.to_vector<float>());
    }
  }
  EXPECT_EQ(order, expected_order);
  EXPECT_EQ(grads_when_reported, final_grads);
}

TEST(LanguageModel, ResumedTrainingMatchesUninterruptedTrainingBitForBit) {
  // Dropout on, SGD with momentum-free Adam slots, an epoch boundary inside each half.
  const TokenFile corpus = TokenFile::open(noise_corpus("resume.tok", 7, 4 * 6 * 5 + 4));
  const LanguageModelConfig config = tiny_config(7, 0.2);
  const LanguageModelTrainOptions options = tiny_options();
  constexpr int kHalf = 6;
  const std::string checkpoint = temp_path("resume.ckpt");

  LanguageModel straight(config);
  LanguageModelTrainer straight_trainer(straight, corpus, options);
  for (int i = 0; i < 2 * kHalf; ++i) straight_trainer.train_step();

  {
    LanguageModel first(config);
    LanguageModelTrainer first_trainer(first, corpus, options);
    for (int i = 0; i < kHalf; ++i) first_trainer.train_step();
    first_trainer.save_checkpoint(checkpoint);
  }
  LanguageModel resumed(config);
  LanguageModelTrainer resumed_trainer(resumed, corpus, options);
  resumed_trainer.load_checkpoint(checkpoint);
  EXPECT_EQ(resumed_trainer.step(), kHalf);
  for (int i = 0; i < kHalf; ++i) resumed_trainer.train_step();

  EXPECT_EQ(weights_of(resumed), weights_of(straight));
  EXPECT_EQ(resumed_trainer.position(), straight_trainer.position());
  EXPECT_EQ(resumed_trainer.optimizer().iterations(), straight_trainer.optimizer().iterations());
  ASSERT_EQ(resumed_trainer.states().size(), straight_trainer.states().size());
  for (std::size_t l = 0; l < straight_trainer.states().size(); ++l) {
    EXPECT_EQ(resumed_trainer.states()[l][1].to_vector<float>(),
              straight_trainer.states()[l][1].to_vector<float>());
  }
  std::remove(checkpoint.c_str());
}

class Checkpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_path_ = noise_corpus("damage.tok", 5, 400);
    corpus_ = std::make_unique<TokenFile>(TokenFile::open(corpus_path_));
    // On the CPU: WriterKilledMidWrite trains in a forked child, and CUDA
    // cannot be used in a child forked after the parent initialised it.
    model_ = std::make_unique<LanguageModel>(tiny_config(5), Device::cpu());
    trainer_ = std::make_unique<LanguageModelTrainer>(*model_, *corpus_, tiny_options());
    trainer_->train_step();
    trainer_->save_checkpoint(path_);
  }
  void TearDown() override { std::remove(path_.c_str()); }

  const std::string path_ = temp_path("damage.ckpt");
  std::string corpus_path_;
  std::unique_ptr<TokenFile> corpus_;
  std::unique_ptr<LanguageModel> model_;
  std::unique_ptr<LanguageModelTrainer> trainer_;
};

TEST_F(Checkpoint, TruncatedFileIsAClearError) {
  const std::string bytes = read_bytes(path_);
  write_bytes(path_, bytes.substr(0, bytes.size() - 10));
  testing::expect_error_mentions([&] { trainer_->load_checkpoint(path_); },
                                 {path_, "truncated", "payload bytes"});
}

TEST_F(Checkpoint, FlippedByteFailsTheChecksum) {
  std::string bytes = read_bytes(path_);
  bytes[bytes.size() / 2] ^= 0x10;
  write_bytes(path_, bytes);
  testing::expect_error_mentions([&] { trainer_->load_checkpoint(path_); },
                                 {path_, "corrupt", "CRC-32"});
}

TEST_F(Checkpoint, OtherFilesAreNotCheckpoints) {
  write_bytes(path_, "not a checkpoint at all, just text");
  testing::expect_error_mentions([&] { trainer_->load_checkpoint(path_); },
                                 {path_, "not a cuseq checkpoint"});
}

TEST_F(Checkpoint, AnotherModelsCheckpointIsRejected) {
  LanguageModelConfig wider = tiny_config(5);
  wider.units = 13;
  LanguageModel other(wider);
  LanguageModelTrainer other_trainer(other, *corpus_, tiny_options());
  testing::expect_error_mentions([&] { other_trainer.load_checkpoint(path_); },
                                 {"another model", "13"});
}

TEST_F(Checkpoint, WriterKilledMidWriteLeavesThePreviousCheckpoint) {
  const std::string before = read_bytes(path_);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The kernel stops the process (SIGXFSZ) when its write crosses half the file.
    const rlimit limit{before.size() / 2, before.size() / 2};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    trainer_->train_step();
    try {
      trainer_->save_checkpoint(path_);
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the write was meant to fail";
  std::remove((path_ + ".tmp." + std::to_string(child)).c_str());
  EXPECT_EQ(read_bytes(path_), before);
  EXPECT_NO_THROW(trainer_->load_checkpoint(path_));
  EXPECT_EQ(trainer_->step(), 1);
}

TEST(LanguageModel, FitLogsBitsPerCharacterOnTheValidationFile) {
  const TokenFile train = TokenFile::open(pattern_corpus("fit_train.tok", 4, 600));
  const TokenFile validation = TokenFile::open(pattern_corpus("fit_valid.tok", 4, 100));
  LanguageModel model(tiny_config(4));
  LanguageModelTrainOptions options = tiny_options();
  options.epochs = 2;
  options.log_every = 10;
  options.log_csv = temp_path("fit.csv");
  std::ostringstream output;
  options.output = &output;
  options.verbose = 2;
  LanguageModelTrainer trainer(model, train, options, nullptr, &validation);
  const History history = trainer.fit();
  // 600 tokens / 4 streams = 150 per stream, (150 - 1) / 6 = 24 windows an epoch:
  // periods of 10, 10, 4 per epoch.
  EXPECT_EQ(trainer.step(), 48);
  ASSERT_EQ(history.epochs(), 6);
  for (int i = 0; i < history.epochs(); ++i) {
    EXPECT_NEAR(history["val_bpc"][i], history["val_loss"][i] / std::log(2.0), 1e-12);
  }
  EXPECT_LT(history["val_bpc"].back(), history["val_bpc"].front());
  EXPECT_NE(output.str().find("tokens/s"), std::string::npos);
  EXPECT_NE(read_bytes(options.log_csv).find("val_bpc"), std::string::npos);
  std::remove(options.log_csv.c_str());
}

TEST(LanguageModel, GlobalClipnormBoundsTheFirstSgdStep) {
  const TokenFile corpus = TokenFile::open(noise_corpus("clip.tok", 5, 400));
  LanguageModel model(tiny_config(5));
  const auto before = weights_of(model);
  LanguageModelTrainOptions options = tiny_options();
  options.optimizer = "sgd";
  options.learning_rate = 1.0;
  options.global_clipnorm = 1e-3;
  LanguageModelTrainer trainer(model, corpus, options);
  trainer.train_step();
  // SGD moves the weights by lr * clipped gradient: a step of norm <= 1e-3.
  double squares = 0.0;
  const auto after = weights_of(model);
  for (std::size_t w = 0; w < after.size(); ++w) {
    for (std::size_t i = 0; i < after[w].size(); ++i) {
      squares += std::pow(static_cast<double>(after[w][i]) - before[w][i], 2);
    }
  }
  EXPECT_NEAR(std::sqrt(squares), 1e-3, 1e-5);
}

TEST(LearningRateSchedule, FollowsKerasFormulas) {
  LearningRateSchedule exponential{"exponential", 0.5, 10, 0.0};
  EXPECT_DOUBLE_EQ(learning_rate_at(exponential, 0.1, 9, 100), 0.1);
  EXPECT_DOUBLE_EQ(learning_rate_at(exponential, 0.1, 25, 100), 0.025);
  LearningRateSchedule cosine{"cosine", 0.0, 0, 0.1};
  EXPECT_DOUBLE_EQ(learning_rate_at(cosine, 1.0, 0, 100), 1.0);
  EXPECT_NEAR(learning_rate_at(cosine, 1.0, 50, 100), 0.1 + 0.9 * 0.5, 1e-12);
  EXPECT_NEAR(learning_rate_at(cosine, 1.0, 100, 100), 0.1, 1e-12);
  testing::expect_error_mentions([] { learning_rate_at({"linear"}, 1.0, 0, 1); },
                                 {"linear", "cosine"});
}

TEST(LanguageModel, SplitKeepsEveryTokenInOrder) {
  const TokenFile source = TokenFile::open(noise_corpus("split.tok", 9, 1000));
  const std::string train_path = temp_path("split_train.tok");
  const std::string valid_path = temp_path("split_valid.tok");
  split_token_file(source, 0.1, train_path, valid_path);
  const TokenFile train = TokenFile::open(train_path);
  const TokenFile valid = TokenFile::open(valid_path);
  ASSERT_EQ(train.count(), 900u);
  ASSERT_EQ(valid.count(), 100u);
  EXPECT_EQ(valid.unit(), source.unit());
  for (std::uint64_t i = 0; i < source.count(); ++i) {
    EXPECT_EQ(i < 900 ? train[i] : valid[i - 900], source[i]);
  }
}

}  // namespace
}  // namespace cuseq
