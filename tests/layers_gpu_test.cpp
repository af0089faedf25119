// The layers' kernels on the GPU against their CPU twins.
#include <gtest/gtest.h>

#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::expect_error_mentions;
using testing::random_tensor;

const Device kGpu = Device::cuda(0);
const Device kCpu = Device::cpu();

Tensor random_ids(const Shape& shape, std::int32_t input_dim, std::uint64_t seed) {
  std::vector<std::int32_t> ids;
  for (const double v : testing::random_values(shape.numel(), seed, 0, input_dim)) {
    ids.push_back(static_cast<std::int32_t>(v));
  }
  return Tensor::from_vector(ids, shape);
}

TEST(LayersGpu, EmbeddingLookupMatchesCpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor ids = random_ids({16, 33}, 50, 1), table = random_tensor<float>({50, 70}, 2);
  Tensor cpu_out = Tensor::empty({16, 33, 70}),
         gpu_out = Tensor::empty({16, 33, 70}, DType::float32, kGpu);
  ops::embedding_lookup(ids, table, cpu_out);
  ops::embedding_lookup(ids.to(kGpu), table.to(kGpu), gpu_out);
  EXPECT_EQ(gpu_out.to(kCpu).to_vector<float>(), cpu_out.to_vector<float>());
}

TEST(LayersGpu, EmbeddingGradientIsBitIdenticalToCpuAndAcrossRuns) {
  CUSEQ_REQUIRE_GPU();
  const Tensor ids = random_ids({32, 40}, 7, 3);  // many repeats of few ids
  const Tensor dy = random_tensor<float>({32, 40, 300}, 4);
  const Tensor start = random_tensor<float>({7, 300}, 5);
  Tensor cpu_grad = start.clone();
  ops::embedding_grad(ids, dy, cpu_grad);
  for (int run = 0; run < 3; ++run) {
    Tensor gpu_grad = start.to(kGpu);
    ops::embedding_grad(ids.to(kGpu), dy.to(kGpu), gpu_grad);
    EXPECT_EQ(gpu_grad.to(kCpu).to_vector<float>(), cpu_grad.to_vector<float>()) << "run " << run;
  }
}

TEST(LayersGpu, OutOfRangeIdOnTheGpuNamesIdAndPosition) {
  CUSEQ_REQUIRE_GPU();
  const Tensor ids = Tensor::from_vector<std::int32_t>({0, 1, 2, 3, 9, 9}, {2, 3}, kGpu);
  const Tensor table = Tensor::zeros({5, 2}, DType::float32, kGpu);
  Tensor out = Tensor::empty({2, 3, 2}, DType::float32, kGpu);
  expect_error_mentions([&] { ops::embedding_lookup(ids, table, out, "embedding_7"); },
                        {"embedding_7", "id 9", "[1, 1]"});
}

TEST(LayersGpu, NonzeroMaskMatchesCpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor ids = random_ids({4, 9}, 3, 6);
  Tensor cpu_mask = Tensor::empty({4, 9}), gpu_mask = Tensor::empty({4, 9}, DType::float32, kGpu);
  ops::nonzero_mask(ids, cpu_mask);
  ops::nonzero_mask(ids.to(kGpu), gpu_mask);
  EXPECT_EQ(gpu_mask.to(kCpu).to_vector<float>(), cpu_mask.to_vector<float>());
}

TEST(LayersGpu, DropoutMasksAreBitIdenticalToCpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor x = random_tensor<float>({37, 101}, 7);
  const Generator::Stream stream{123, 4};
  Tensor cpu_mask = Tensor::empty(x.shape()), cpu_y = Tensor::empty(x.shape());
  Tensor gpu_mask = Tensor::empty(x.shape(), DType::float32, kGpu);
  Tensor gpu_y = Tensor::empty(x.shape(), DType::float32, kGpu);
  ops::dropout_forward(x, 0.35, stream, cpu_mask, cpu_y);
  ops::dropout_forward(x.to(kGpu), 0.35, stream, gpu_mask, gpu_y);
  EXPECT_EQ(gpu_mask.to(kCpu).to_vector<float>(), cpu_mask.to_vector<float>());
  EXPECT_EQ(gpu_y.to(kCpu).to_vector<float>(), cpu_y.to_vector<float>());
  Tensor alone = Tensor::empty(x.shape(), DType::float64, kGpu);
  ops::dropout_mask(0.35, stream, alone);
  Tensor alone_cpu = Tensor::empty(x.shape(), DType::float64);
  ops::dropout_mask(0.35, stream, alone_cpu);
  EXPECT_EQ(alone.to(kCpu).to_vector<double>(), alone_cpu.to_vector<double>());
}

TEST(LayersGpu, RegularizationPenaltyAndGradientMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  const Tensor w = random_tensor<float>({300, 257}, 8);
  const double cpu = ops::regularization_penalty(w, 0.01, 0.02).item();
  EXPECT_NEAR(ops::regularization_penalty(w.to(kGpu), 0.01, 0.02).item(), cpu, 1e-5 * cpu);
  Tensor cpu_grad = random_tensor<float>(w.shape(), 9);
  Tensor gpu_grad = cpu_grad.to(kGpu);
  ops::add_regularization_grad(w, 0.01, 0.02, cpu_grad);
  ops::add_regularization_grad(w.to(kGpu), 0.01, 0.02, gpu_grad);
  expect_all_near(gpu_grad.to(kCpu).to_vector<float>(), cpu_grad.to_vector<float>(), 1e-6);
}

TEST(LayersGpu, SeededInitializersDrawTheSameWeightsOnBothDevices) {
  CUSEQ_REQUIRE_GPU();
  Tensor cpu_w = Tensor::empty({30, 40}), gpu_w = Tensor::empty({30, 40}, DType::float32, kGpu);
  Generator cpu_generator(5), gpu_generator(5);
  initializers::glorot_uniform(cpu_w, cpu_generator);
  initializers::glorot_uniform(gpu_w, gpu_generator);
  EXPECT_EQ(gpu_w.to(kCpu).to_vector<float>(), cpu_w.to_vector<float>());
}

TEST(LayersGpu, DenseForwardAndBackwardMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  for (const std::string activation : {"relu", "softmax"}) {
    Dense cpu_dense(24, activation), gpu_dense(24, activation);
    Generator cpu_generator(3), gpu_generator(3);
    cpu_dense.build({5, 16}, DType::float32, kCpu, cpu_generator);
    gpu_dense.build({5, 16}, DType::float32, kGpu, gpu_generator);
    const Tensor x = random_tensor<float>({4, 5, 16}, 10),
                 dy = random_tensor<float>({4, 5, 24}, 11);
    cpu_dense.zero_grad();
    gpu_dense.zero_grad();
    expect_all_near(gpu_dense.forward(x.to(kGpu), {}).to(kCpu).to_vector<float>(),
                    cpu_dense.forward(x, {}).to_vector<float>(), 1e-5, activation + " forward");
    expect_all_near(gpu_dense.backward(dy.to(kGpu)).to(kCpu).to_vector<float>(),
                    cpu_dense.backward(dy).to_vector<float>(), 1e-5, activation + " dx");
    for (std::size_t p = 0; p < 2; ++p) {
      expect_all_near(gpu_dense.parameters()[p]->grad.to(kCpu).to_vector<float>(),
                      cpu_dense.parameters()[p]->grad.to_vector<float>(), 1e-4,
                      activation + " d" + cpu_dense.parameters()[p]->name);
    }
  }
}

TEST(LayersGpu, EmbeddingAndDropoutLayersMatchCpu) {
  CUSEQ_REQUIRE_GPU();
  Embedding cpu_embedding(50, 8), gpu_embedding(50, 8);
  Generator cpu_generator(4), gpu_generator(4);
  cpu_embedding.build({6}, DType::float32, kCpu, cpu_generator);
  gpu_embedding.build({6}, DType::float32, kGpu, gpu_generator);
  const Tensor ids = random_ids({3, 6}, 50, 12);
  const ForwardContext training{true, Tensor()};
  Dropout cpu_dropout(0.5, {8, ""}), gpu_dropout(0.5, {8, ""});
  const Tensor cpu_y = cpu_dropout.forward(cpu_embedding.forward(ids, {}), training);
  const Tensor gpu_y = gpu_dropout.forward(gpu_embedding.forward(ids.to(kGpu), {}), training);
  EXPECT_EQ(gpu_y.to(kCpu).to_vector<float>(), cpu_y.to_vector<float>());
}

}  // namespace
}  // namespace cuseq
