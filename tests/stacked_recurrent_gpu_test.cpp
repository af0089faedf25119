// The wavefront on CUDA (each layer on its own stream) against the CPU
// running the same layers one by one: outputs, states and all gradients, with
// masks and dropout (the masks are bit-identical by design), repeated so that
// the caching allocator reuses blocks across the streams.
#include <gtest/gtest.h>

#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::random_tensor;

const Device kGpu = Device::cuda(0);
constexpr std::int64_t kBatch = 3, kSteps = 40, kFeatures = 6;

// LSTM(16) -> GRU(12) -> LSTM(8), dropout on every layer, float32 on `device`.
std::vector<std::unique_ptr<Recurrent>> make_layers(Device device) {
  std::vector<std::unique_ptr<Recurrent>> layers;
  RecurrentOptions options;
  options.return_sequences = true;
  options.dropout = 0.2;
  options.recurrent_dropout = 0.3;
  options.seed = 5;
  layers.push_back(std::make_unique<LSTM>(16, options));
  options.seed = 6;
  layers.push_back(std::make_unique<GRU>(12, options));
  options.seed = 7;
  layers.push_back(std::make_unique<LSTM>(8, options));
  Generator generator(3);
  std::int64_t features = kFeatures;
  for (auto& layer : layers) {
    layer->build(Shape{kSteps, features}, DType::float32, device, generator);
    features = layer->units();
  }
  return layers;
}

ForwardContext training_with_mask(Device device) {
  ForwardContext context;
  context.training = true;
  std::vector<float> mask(kBatch * kSteps, 1.0f);
  for (std::int64_t t = 29; t < kSteps; ++t) mask[static_cast<std::size_t>(kSteps + t)] = 0.0f;
  for (std::int64_t t = 0; t < 5; ++t) mask[static_cast<std::size_t>(2 * kSteps + t)] = 0.0f;
  context.mask = Tensor::from_vector(mask, Shape{kBatch, kSteps}, device);
  return context;
}

void expect_near_cpu(const Tensor& gpu, const Tensor& cpu, double tolerance,
                     const std::string& what) {
  ASSERT_EQ(gpu.shape(), cpu.shape()) << what;
  expect_all_near(gpu.to(Device::cpu()).to_vector<float>(), cpu.to_vector<float>(), tolerance,
                  what);
}

void expect_stack_matches_cpu(std::int64_t chunk_steps) {
  auto cpu = make_layers(Device::cpu()), gpu = make_layers(kGpu);
  std::vector<Recurrent*> on_gpu;
  for (std::size_t l = 0; l < cpu.size(); ++l) {
    gpu[l]->set_weights(cpu[l]->get_weights());
    on_gpu.push_back(gpu[l].get());
  }
  RecurrentStack stack(on_gpu, chunk_steps);
  const ForwardContext cpu_context = training_with_mask(Device::cpu());
  const ForwardContext gpu_context = training_with_mask(kGpu);
  for (std::uint64_t round = 0; round < 3; ++round) {
    const Tensor x = random_tensor<float>({kBatch, kSteps, kFeatures}, 1 + round);
    Tensor expected = x;
    std::vector<RecurrentResult> results;
    for (auto& layer : cpu) {
      layer->zero_grad();
      results.push_back(layer->forward_with_state(expected, cpu_context));
      expected = results.back().output;
    }
    for (auto& layer : gpu) layer->zero_grad();
    const RecurrentStackResult got = stack.forward(x.to(kGpu), gpu_context);
    expect_near_cpu(got.output, expected, 1e-5, "output");
    for (std::size_t l = 0; l < cpu.size(); ++l) {
      for (std::size_t s = 0; s < results[l].states.size(); ++s) {
        expect_near_cpu(got.states[l][s], results[l].states[s], 1e-5, "final state");
      }
    }
    const Tensor d_output = random_tensor<float>(expected.shape(), 10 + round);
    Tensor d = d_output;
    for (std::size_t l = cpu.size(); l-- > 0;) d = cpu[l]->backward(d);
    const RecurrentStackGradients g = stack.backward(d_output.to(kGpu));
    expect_near_cpu(g.input, d, 1e-4, "d input");
    for (std::size_t l = 0; l < cpu.size(); ++l) {
      const auto a = gpu[l]->parameters(), e = cpu[l]->parameters();
      for (std::size_t p = 0; p < e.size(); ++p) {
        expect_near_cpu(a[p]->grad, e[p]->grad, 1e-4, cpu[l]->name() + " d" + e[p]->name);
      }
    }
  }
}

TEST(StackedRecurrentGpu, AutomaticChunkIsTheWholeSequenceAndMatchesTheCpu) {
  CUSEQ_REQUIRE_GPU();
  EXPECT_EQ(ops::automatic_chunk_steps(kGpu, kSteps), kSteps);
  expect_stack_matches_cpu(0);
}

TEST(StackedRecurrentGpu, ChunksOnStreamsMatchTheCpuLayerByLayer) {
  CUSEQ_REQUIRE_GPU();
  expect_stack_matches_cpu(8);
}

TEST(StackedRecurrentGpu, ChunksNotDividingTheStepsMatchTheCpuLayerByLayer) {
  CUSEQ_REQUIRE_GPU();
  expect_stack_matches_cpu(3);
}

TEST(StackedRecurrentGpu, TimeBlockCopyMatchesTheCpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor source = random_tensor<float>({4, 9, 5}, 1);
  Tensor cpu = random_tensor<float>({4, 6, 5}, 2);
  Tensor gpu = cpu.to(kGpu);
  ops::copy_time_block(source, 3, cpu, 1, 5);
  ops::copy_time_block(source.to(kGpu), 3, gpu, 1, 5);
  EXPECT_EQ(gpu.to(Device::cpu()).to_vector<float>(), cpu.to_vector<float>());
}

TEST(StackedRecurrentGpu, SequentialWithStackedLstmsPredictsLikeTheCpu) {
  CUSEQ_REQUIRE_GPU();
  auto make = [](Device device) {
    Sequential model("model", 11);
    RecurrentOptions options;
    options.return_sequences = true;
    model.emplace<LSTM>(16, options);
    model.emplace<LSTM>(16, options);
    model.emplace<LSTM>(8);
    model.emplace<Dense>(2);
    model.build(Shape{kSteps, kFeatures}, DType::float32, device);
    return model;
  };
  Sequential cpu = make(Device::cpu()), gpu = make(kGpu);
  gpu.set_weights(cpu.get_weights());
  const Tensor x = random_tensor<float>({5, kSteps, kFeatures}, 3);
  expect_near_cpu(gpu.predict(x), cpu.predict(x), 1e-5, "predictions");
}

}  // namespace
}  // namespace cuseq
