// Run by ctest as `mpirun -np 2 cuseq_mpi_lm_tests`: two processes training a
// language model on halves of each global batch end with the weights one
// process gets on the whole batch (to float tolerance: the gradient means are
// summed in another order), with the buckets reduced while backward runs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include "cuseq/communicators.h"
#include "cuseq/cuseq.h"

namespace cuseq {
namespace {

std::string corpus_for_this_process() {
  const std::string path =
      ::testing::TempDir() + "cuseq_mpi_lm_" + std::to_string(::getpid()) + ".tok";
  TokenFileWriter writer(path, 9, TokenUnit::utf8_char);
  std::uint64_t state = 99;
  for (int i = 0; i < 2000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    writer.append(static_cast<std::uint32_t>((state >> 33) % 9));
  }
  writer.finish();
  return path;
}

std::vector<float> trained_weights(Communicator* communicator, const TokenFile& corpus) {
  LanguageModelConfig config;
  config.vocab_size = 9;
  config.embedding_dim = 5;
  config.units = 8;
  config.layers = 2;
  LanguageModel model(config, Device::cpu());
  LanguageModelTrainOptions options;
  options.batch_size = 4;
  options.steps_per_window = 7;
  options.learning_rate = 0.01;
  options.global_clipnorm = 1.0;
  options.verbose = 0;
  LanguageModelTrainer trainer(model, corpus, options, communicator);
  for (int i = 0; i < 6; ++i) trainer.train_step();
  std::vector<float> all;
  for (const auto& layer : model.model().get_weights()) {
    for (const Tensor& weight : layer) {
      const auto values = weight.to_vector<float>();
      all.insert(all.end(), values.begin(), values.end());
    }
  }
  return all;
}

TEST(MpiLanguageModel, TwoProcessesOnHalfBatchesMatchOneProcess) {
  const auto world = make_mpi_communicator();
  ASSERT_EQ(world->size(), 2) << "run with mpirun -np 2";
  // Small buckets: several reductions overlap the backward pass, one layer's
  // gradients are split across buckets, and large ones are reduced in place.
  world->set_bucket_bytes(512);
  const std::string path = corpus_for_this_process();
  const TokenFile corpus = TokenFile::open(path);
  const std::vector<float> parallel = trained_weights(world.get(), corpus);
  const std::vector<float> alone = trained_weights(nullptr, corpus);
  ASSERT_EQ(parallel.size(), alone.size());
  for (std::size_t i = 0; i < alone.size(); ++i) EXPECT_NEAR(parallel[i], alone[i], 1e-5) << i;
  std::remove(path.c_str());
}

}  // namespace
}  // namespace cuseq
