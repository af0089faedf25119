// RecurrentAlgorithm on the CPU: the CPU has no persistent kernel, so asking
// for one is an error that says so, and `automatic` runs the standard loop.
#include <gtest/gtest.h>

#include "recurrent_reference.h"

namespace cuseq {
namespace {

using testing::random_tensor;

struct SmallLstm {
  ops::RecurrentSpec spec;
  ops::RecurrentWeights weights{random_tensor<float>({3, 16}, 1), random_tensor<float>({4, 16}, 2),
                                random_tensor<float>({16}, 3)};
  ops::RecurrentInputs inputs;
  SmallLstm() { inputs.x = random_tensor<float>({2, 5, 3}, 4); }
};

TEST(RecurrentAlgorithm, PersistentOnTheCpuIsAnErrorNamingTheOpAndTheReason) {
  SmallLstm lstm;
  lstm.spec.algorithm = RecurrentAlgorithm::persistent;
  testing::expect_error_mentions(
      [&] { ops::recurrent_forward(lstm.spec, lstm.weights, lstm.inputs); },
      {"LSTM forward", "persistent", "CPU"});
}

TEST(RecurrentAlgorithm, PersistentBackwardOnTheCpuIsAnError) {
  SmallLstm lstm;
  const ops::RecurrentTape tape = ops::recurrent_forward(lstm.spec, lstm.weights, lstm.inputs);
  lstm.spec.algorithm = RecurrentAlgorithm::persistent;
  ops::RecurrentWeights grads{Tensor::zeros({3, 16}), Tensor::zeros({4, 16}), Tensor::zeros({16})};
  testing::expect_error_mentions(
      [&] {
        ops::recurrent_backward(lstm.spec, lstm.weights, tape, random_tensor<float>({2, 4}, 5), {},
                                {}, grads);
      },
      {"LSTM backward", "persistent", "CPU"});
}

TEST(RecurrentAlgorithm, LayerPassesTheAlgorithmToTheOp) {
  RecurrentOptions options;
  options.algorithm = RecurrentAlgorithm::persistent;
  GRU gru(4, options);
  Generator generator(1);
  gru.build(Shape{5, 3}, DType::float32, Device::cpu(), generator);
  testing::expect_error_mentions(
      [&] {
        gru.forward(random_tensor<float>({2, 5, 3}, 4), ForwardContext{});
      },
      {"GRU forward", "persistent"});
}

TEST(RecurrentAlgorithm, IsNotPartOfTheLayerConfig) {
  RecurrentOptions options;
  options.algorithm = RecurrentAlgorithm::standard;
  const LayerConfig config = LSTM(4, options).config();
  for (const auto& [key, value] : config) EXPECT_EQ(key.find("algorithm"), std::string::npos);
}

TEST(RecurrentAlgorithm, AutomaticAndStandardAreIdenticalOnTheCpu) {
  SmallLstm lstm;
  lstm.inputs.step_mask =
      Tensor::from_vector(std::vector<float>{0, 1, 1, 1, 1, 1, 1, 1, 0, 0}, Shape{2, 5});
  lstm.spec.return_sequences = true;
  auto run = [&](RecurrentAlgorithm algorithm) {
    lstm.spec.algorithm = algorithm;
    const ops::RecurrentTape tape = ops::recurrent_forward(lstm.spec, lstm.weights, lstm.inputs);
    ops::RecurrentWeights grads{Tensor::zeros({3, 16}), Tensor::zeros({4, 16}),
                                Tensor::zeros({16})};
    const ops::RecurrentInputGradients d = ops::recurrent_backward(
        lstm.spec, lstm.weights, tape, random_tensor<float>({2, 5, 4}, 5), {}, {}, grads);
    return std::vector<std::vector<float>>{
        tape.output.to_vector<float>(),  tape.final_c.to_vector<float>(),
        d.d_x.to_vector<float>(),        d.d_initial_h.to_vector<float>(),
        grads.kernel.to_vector<float>(), grads.recurrent_kernel.to_vector<float>(),
        grads.bias.to_vector<float>()};
  };
  EXPECT_EQ(run(RecurrentAlgorithm::automatic), run(RecurrentAlgorithm::standard));
}

}  // namespace
}  // namespace cuseq
