// Model and weights files: bit-exact round trips, clear errors for truncated,
// corrupt and mismatched files, and atomic replacement.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "test_support.h"

namespace cuseq {
namespace {

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "cuseq_" + std::to_string(::getpid()) + "_" + name;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

Sequential small_model(std::int64_t hidden = 4) {
  Sequential model;
  model.emplace<Embedding>(50, 3, 6);
  model.emplace<Flatten>();
  model.emplace<Dense>(hidden, "relu");
  model.emplace<Dense>(1, "sigmoid");
  model.build({6}, DType::float32, Device::cpu());
  return model;
}

void expect_same_weights(const Sequential& a, const Sequential& b) {
  const auto wa = a.get_weights(), wb = b.get_weights();
  ASSERT_EQ(wa.size(), wb.size());
  for (std::size_t l = 0; l < wa.size(); ++l) {
    ASSERT_EQ(wa[l].size(), wb[l].size());
    for (std::size_t w = 0; w < wa[l].size(); ++w) {
      EXPECT_EQ(wa[l][w].to_vector<float>(), wb[l][w].to_vector<float>())
          << "layer " << l << " weight " << w;
    }
  }
}

// A compiled model trained for one epoch, and its data.
struct TrainedModel {
  Sequential model = small_model();
  Tensor x = Tensor::from_vector<std::int32_t>(
      {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 3, 9, 27, 49, 5, 5, 5, 5, 5, 5}, {4, 6});
  Tensor y = Tensor::from_vector<float>({1, 0, 1, 0}, {4, 1});
  FitOptions in_order;

  TrainedModel() {
    model.compile(std::make_unique<Adam>(0.01, 0.8, 0.99, 1e-6, true),
                  loss_from_name("binary_crossentropy"), {"accuracy", "mae"});
    in_order.shuffle = false, in_order.verbose = 0, in_order.batch_size = 2;
    model.fit(x, y, in_order);
  }
};

TEST(ModelFile, LoadModelRestoresCompileAndOptimizerStateSoTrainingContinuesExactly) {
  TrainedModel trained;
  const std::string path = temp_path("trained.cuseq");
  trained.model.save(path);
  Sequential loaded = load_model(path, Device::cpu());
  std::remove(path.c_str());
  ASSERT_TRUE(loaded.compiled());
  EXPECT_EQ(loaded.optimizer().name(), "Adam");
  EXPECT_EQ(loaded.optimizer().config(), trained.model.optimizer().config());
  EXPECT_EQ(loaded.optimizer().iterations(), 2);
  EXPECT_EQ(loaded.evaluate(trained.x, trained.y), trained.model.evaluate(trained.x, trained.y));
  // Adam's moments, amsgrad's maxima and the step count came back: one more
  // epoch on each gives the same bits.
  trained.model.fit(trained.x, trained.y, trained.in_order);
  loaded.fit(trained.x, trained.y, trained.in_order);
  expect_same_weights(trained.model, loaded);
}

TEST(ModelFile, IncludeOptimizerFalseSavesAnUncompiledModel) {
  TrainedModel trained;
  const std::string path = temp_path("inference.cuseq");
  trained.model.save(path, /*include_optimizer=*/false);
  Sequential loaded = load_model(path, Device::cpu());
  Sequential weights_into = small_model();
  weights_into.load_weights(path);
  std::remove(path.c_str());
  EXPECT_FALSE(loaded.compiled());
  expect_same_weights(trained.model, loaded);
  expect_same_weights(trained.model, weights_into);
}

TEST(ModelFile, LoadWeightsReadsTheWeightsOfAModelSavedWithItsOptimizer) {
  TrainedModel trained;
  const std::string path = temp_path("trained_weights.cuseq");
  trained.model.save(path);
  Sequential fresh = small_model();
  fresh.load_weights(path);
  std::remove(path.c_str());
  expect_same_weights(trained.model, fresh);
}

TEST(ModelFile, WeightsRoundTripBitExact) {
  Sequential saved = small_model(), loaded = small_model();
  const std::string path = temp_path("weights.cuseq");
  saved.save_weights(path);
  loaded.load_weights(path);
  expect_same_weights(saved, loaded);
}

TEST(ModelFile, ModelRoundTripRebuildsArchitectureAndWeights) {
  Sequential saved = small_model();
  saved.layer(0).trainable = false;
  const std::string path = temp_path("model.cuseq");
  saved.save(path);
  Sequential loaded = load_model(path, Device::cpu());
  ASSERT_EQ(loaded.size(), 4u);
  EXPECT_EQ(loaded.name(), saved.name());
  EXPECT_EQ(loaded.layer(2).type(), "Dense");
  EXPECT_EQ(loaded.layer(2).name(), saved.layer(2).name());
  EXPECT_FALSE(loaded.layer(0).trainable);
  EXPECT_EQ(loaded.count_params(), saved.count_params());
  expect_same_weights(saved, loaded);
  const Tensor ids =
      Tensor::from_vector<std::int32_t>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {2, 6});
  EXPECT_EQ(loaded.predict(ids).to_vector<float>(), saved.predict(ids).to_vector<float>());
}

TEST(ModelFile, TruncatedFileIsAClearError) {
  Sequential model = small_model();
  const std::string path = temp_path("truncated.cuseq");
  model.save_weights(path);
  const std::string bytes = read_bytes(path);
  write_bytes(path, bytes.substr(0, bytes.size() - 10));
  testing::expect_error_mentions(
      [&] { model.load_weights(path); },
      {path, "truncated", std::to_string(bytes.size() - 28), std::to_string(bytes.size() - 38)});
  write_bytes(path, bytes.substr(0, 12));
  testing::expect_error_mentions([&] { model.load_weights(path); },
                                 {path, "not a cuseq model file"});
}

TEST(ModelFile, FlippedByteFailsTheChecksum) {
  Sequential model = small_model();
  const std::string path = temp_path("flipped.cuseq");
  model.save_weights(path);
  std::string bytes = read_bytes(path);
  bytes[bytes.size() / 2] ^= 0x10;
  write_bytes(path, bytes);
  testing::expect_error_mentions([&] { model.load_weights(path); }, {path, "corrupt", "CRC-32"});
}

TEST(ModelFile, WeightsOfAnotherArchitectureAreRejected) {
  const std::string path = temp_path("other.cuseq");
  small_model(4).save_weights(path);
  Sequential other = small_model(5);
  const auto before = other.get_weights();
  testing::expect_error_mentions([&] { other.load_weights(path); },
                                 {path, "kernel", "expects float32[18, 5]", "float32[18, 4]"});
  EXPECT_EQ(other.get_weights()[2][0].to_vector<float>(), before[2][0].to_vector<float>());
  testing::expect_error_mentions([&] { load_model(path); },
                                 {path, "holds weights", "expected a model"});
}

TEST(ModelFile, KilledWriterLeavesTheOldFileIntact) {
  const std::string path = temp_path("atomic.cuseq");
  Sequential first = small_model(64);
  first.save_weights(path);
  const std::string original = read_bytes(path);
  for (int attempt = 0; attempt < 3; ++attempt) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // Rewrites the file forever with other weights until killed mid-write.
      Sequential second = small_model(64);
      for (;;) second.save_weights(path);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + 7 * attempt));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    // Either file is complete: loading never sees a torn one.
    Sequential reader = small_model(64);
    EXPECT_NO_THROW(reader.load_weights(path));
    std::remove((path + ".tmp." + std::to_string(child)).c_str());
    write_bytes(path, original);
  }
  EXPECT_EQ(read_bytes(path), original);
}

TEST(ModelFile, FailedWriteKeepsTheOldFile) {
  const std::string path = temp_path("kept.cuseq");
  Sequential model = small_model();
  model.save_weights(path);
  const std::string original = read_bytes(path);
  testing::expect_error_mentions([&] { model.save_weights("/nonexistent-dir-cuseq/x.cuseq"); },
                                 {"/nonexistent-dir-cuseq/x.cuseq.tmp.", "No such file"});
  EXPECT_EQ(read_bytes(path), original);
}

TEST(ModelFile, CheckpointSavesOnlyImprovingEpochs) {
  Sequential model = small_model();
  model.compile("sgd", "binary_crossentropy");
  ModelCheckpointOptions best_only;
  best_only.monitor = "loss", best_only.save_best_only = true;
  auto checkpoint = std::make_shared<ModelCheckpoint>(temp_path("best_{epoch}.cuseq"), best_only);
  model.stop_training = false;
  checkpoint->on_train_begin(model);
  checkpoint->on_epoch_end(0, {{"loss", 0.5}}, model);
  checkpoint->on_epoch_end(1, {{"loss", 0.7}}, model);
  checkpoint->on_epoch_end(2, {{"loss", 0.4}}, model);
  ASSERT_EQ(checkpoint->saved_paths().size(), 2u);
  EXPECT_EQ(checkpoint->saved_paths()[1], temp_path("best_3.cuseq"));
  EXPECT_NO_THROW(load_model(checkpoint->saved_paths()[1], Device::cpu()));
}

}  // namespace
}  // namespace cuseq
