// The recurrent CUDA kernels against their CPU twins: outputs, states and all
// gradients, with masks and dropout (the masks are bit-identical by design).
#include <gtest/gtest.h>

#include "recurrent_reference.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::random_tensor;

const Device kGpu = Device::cuda(0);

void expect_gpu_matches_cpu(const std::string& cell, RecurrentOptions options) {
  options.seed = 99;
  auto cpu = testing::make_recurrent(cell, 16, options);
  auto gpu = testing::make_recurrent(cell, 16, options);
  Generator g1(4), g2(4);
  cpu->build(Shape{7, 5}, DType::float32, Device::cpu(), g1);
  gpu->build(Shape{7, 5}, DType::float32, kGpu, g2);
  gpu->set_weights(cpu->get_weights());
  const Tensor x = random_tensor<float>({3, 7, 5}, 1);
  ForwardContext context;
  context.training = true;
  context.mask = Tensor::from_vector(
      std::vector<float>{1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0},
      Shape{3, 7});
  ForwardContext gpu_context = context;
  gpu_context.mask = context.mask.to(kGpu);
  const RecurrentResult a = cpu->forward_with_state(x, context);
  const RecurrentResult b = gpu->forward_with_state(x.to(kGpu), gpu_context);
  expect_all_near(b.output.to(Device::cpu()).to_vector<float>(), a.output.to_vector<float>(), 1e-5,
                  "output");
  for (std::size_t s = 0; s < a.states.size(); ++s) {
    expect_all_near(b.states[s].to(Device::cpu()).to_vector<float>(),
                    a.states[s].to_vector<float>(), 1e-5, "state");
  }
  const Tensor dy = random_tensor<float>(a.output.shape(), 2);
  const Tensor dh = random_tensor<float>(a.states[0].shape(), 3);
  cpu->zero_grad();
  gpu->zero_grad();
  const RecurrentGradients ga = cpu->backward_with_state(dy, {dh});
  const RecurrentGradients gb = gpu->backward_with_state(dy.to(kGpu), {dh.to(kGpu)});
  expect_all_near(gb.input.to(Device::cpu()).to_vector<float>(), ga.input.to_vector<float>(), 1e-4,
                  "d input");
  expect_all_near(gb.initial_states[0].to(Device::cpu()).to_vector<float>(),
                  ga.initial_states[0].to_vector<float>(), 1e-4, "d initial h");
  const auto pa = cpu->parameters();
  const auto pb = gpu->parameters();
  for (std::size_t i = 0; i < pa.size(); ++i) {
    expect_all_near(pb[i]->grad.to(Device::cpu()).to_vector<float>(),
                    pa[i]->grad.to_vector<float>(), 1e-4, pa[i]->name);
  }
}

RecurrentOptions all_options() {
  RecurrentOptions o;
  o.return_sequences = true;
  o.dropout = 0.25;
  o.recurrent_dropout = 0.25;
  return o;
}

TEST(RecurrentGpu, LstmMatchesCpuWithMasksAndDropout) {
  CUSEQ_REQUIRE_GPU();
  expect_gpu_matches_cpu("LSTM", all_options());
  RecurrentOptions backwards;
  backwards.go_backwards = true;
  expect_gpu_matches_cpu("LSTM", backwards);
}

TEST(RecurrentGpu, GruMatchesCpuWithMasksAndDropout) {
  CUSEQ_REQUIRE_GPU();
  expect_gpu_matches_cpu("GRU", all_options());
}

TEST(RecurrentGpu, SimpleRnnMatchesCpuWithMasksAndDropout) {
  CUSEQ_REQUIRE_GPU();
  expect_gpu_matches_cpu("SimpleRNN", all_options());
}

TEST(RecurrentGpu, DropoutMasksAreBitIdentical) {
  CUSEQ_REQUIRE_GPU();
  Tensor cpu = Tensor::empty(Shape{33, 70}, DType::float32);
  Tensor gpu = Tensor::empty(Shape{33, 70}, DType::float32, kGpu);
  ops::dropout_mask(0.3, {7, 8}, cpu);
  ops::dropout_mask(0.3, {7, 8}, gpu);
  EXPECT_EQ(gpu.to(Device::cpu()).to_vector<float>(), cpu.to_vector<float>());
}

}  // namespace
}  // namespace cuseq
