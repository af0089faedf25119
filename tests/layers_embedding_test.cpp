// Embedding against reference loops and finite differences.
#include <gtest/gtest.h>

#include "layer_gradient_check.h"
#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_all_near;
using testing::expect_error_mentions;
using testing::random_tensor;

std::unique_ptr<Embedding> built_embedding(DType dtype, bool mask_zero = false) {
  EmbeddingOptions options;
  options.mask_zero = mask_zero;
  auto embedding = std::make_unique<Embedding>(6, 3, options);
  Generator generator(5);
  embedding->build({4}, dtype, Device::cpu(), generator);
  return embedding;
}

const Tensor kIds = Tensor::from_vector<std::int32_t>({1, 5, 1, 0, 2, 2, 2, 4}, {2, 4});

TEST(Embedding, LooksUpTheRowOfEachId) {
  auto embedding = built_embedding(DType::float32);
  const Tensor y = embedding->forward(kIds, {});
  ASSERT_EQ(y.shape(), Shape({2, 4, 3}));
  const auto table = embedding->get_weights()[0].to_vector<float>();
  const auto ids = kIds.to_vector<std::int32_t>();
  std::vector<float> expected;
  for (const std::int32_t id : ids) {
    for (int d = 0; d < 3; ++d) expected.push_back(table[id * 3 + d]);
  }
  EXPECT_EQ(y.to_vector<float>(), expected);
}

TEST(Embedding, InitialTableIsUniformWithinFiveHundredths) {
  Embedding embedding(100, 8);
  Generator generator(3);
  embedding.build({10}, DType::float32, Device::cpu(), generator);
  double largest = 0;
  for (const float w : embedding.get_weights()[0].to_vector<float>()) {
    largest = std::max(largest, double(std::fabs(w)));
  }
  EXPECT_LE(largest, 0.05);
  EXPECT_GT(largest, 0.045);
}

TEST(Embedding, RepeatedIdsSumTheirGradients) {
  auto embedding = built_embedding(DType::float64);
  embedding->forward(kIds, {});
  const Tensor dy = random_tensor<double>({2, 4, 3}, 2);
  embedding->zero_grad();
  EXPECT_FALSE(embedding->backward(dy).defined());
  std::vector<double> expected(18, 0.0);
  const auto ids = kIds.to_vector<std::int32_t>();
  const auto dyv = dy.to_vector<double>();
  for (std::size_t n = 0; n < ids.size(); ++n) {
    for (int d = 0; d < 3; ++d) expected[ids[n] * 3 + d] += dyv[n * 3 + d];
  }
  expect_all_near(embedding->parameters()[0]->grad.to_vector<double>(), expected, 1e-12);
}

TEST(Embedding, GradientIsBitIdenticalEveryRun) {
  auto embedding = built_embedding(DType::float32);
  const Tensor ids = Tensor::from_vector<std::int32_t>(std::vector<std::int32_t>(64, 3), {8, 8});
  const Tensor dy = random_tensor<float>({8, 8, 3}, 4);
  std::vector<float> first;
  for (int run = 0; run < 3; ++run) {
    embedding->forward(ids, {});
    embedding->zero_grad();
    embedding->backward(dy);
    const auto grad = embedding->parameters()[0]->grad.to_vector<float>();
    if (run == 0) first = grad;
    EXPECT_EQ(grad, first) << "run " << run;
  }
}

TEST(Embedding, GradientMatchesFiniteDifferences) {
  auto embedding = built_embedding(DType::float64);
  testing::expect_gradients_match_finite_differences(*embedding, kIds, {}, false);
}

TEST(Embedding, OutOfRangeIdNamesLayerIdAndPosition) {
  auto embedding = built_embedding(DType::float32);
  const Tensor ids = Tensor::from_vector<std::int32_t>({1, 2, 3, 0, 6, 1}, {2, 3});
  expect_error_mentions([&] { embedding->forward(ids, {}); },
                        {embedding->name(), "id 6", "[1, 1]", "[0, 6)"});
  const Tensor negative = Tensor::from_vector<std::int32_t>({-1}, {1, 1});
  expect_error_mentions([&] { embedding->forward(negative, {}); }, {embedding->name(), "id -1"});
}

TEST(Embedding, AcceptsWholeNumberFloatIdsAndRejectsOthers) {
  auto embedding = built_embedding(DType::float32);
  const Tensor as_floats = Tensor::from_vector<float>({1, 5, 1, 0, 2, 2, 2, 4}, {2, 4});
  EXPECT_EQ(embedding->forward(as_floats, {}).to_vector<float>(),
            embedding->forward(kIds, {}).to_vector<float>());
  expect_error_mentions(
      [&] {
        embedding->forward(Tensor::from_vector<float>({1.5f}, {1, 1}), {});
      },
      {embedding->name(), "1.5"});
}

TEST(Embedding, RejectsInputsOfWrongRankOrLength) {
  Embedding embedding(6, 3, 4);
  expect_error_mentions([&] { embedding.forward(Tensor::zeros({}, DType::int32), {}); },
                        {embedding.name(), "[batch"});
  expect_error_mentions(
      [&] {
        embedding.forward(Tensor::zeros({2, 5}, DType::int32), {});
      },
      {embedding.name(), "4 steps", "[2, 5]"});
}

TEST(Embedding, MaskZeroMarksNonPaddingSteps) {
  auto embedding = built_embedding(DType::float32, true);
  const Tensor mask = embedding->output_mask(kIds, Tensor());
  ASSERT_EQ(mask.shape(), Shape({2, 4}));
  std::vector<float> expected;
  for (const std::int32_t id : kIds.to_vector<std::int32_t>()) expected.push_back(id != 0 ? 1 : 0);
  EXPECT_EQ(mask.to_vector<float>(), expected);
  EXPECT_FALSE(built_embedding(DType::float32, false)->output_mask(kIds, Tensor()).defined());
}

// Optimizers skip non-trainable layers; the frozen layer itself adds nothing.
TEST(Embedding, FrozenLayerAddsNoWeightGradient) {
  auto embedding = built_embedding(DType::float32);
  embedding->trainable = false;
  embedding->zero_grad();
  embedding->forward(kIds, {});
  embedding->backward(random_tensor<float>({2, 4, 3}, 6));
  for (const float g : embedding->parameters()[0]->grad.to_vector<float>()) EXPECT_EQ(g, 0.0f);
}

TEST(Embedding, CountsInputDimTimesOutputDimParameters) {
  Embedding embedding(10000, 8, 20);
  Generator generator(1);
  embedding.build({20}, DType::float32, Device::cpu(), generator);
  EXPECT_EQ(embedding.count_params(), 80000);
  EXPECT_EQ(embedding.output_shape({20}), Shape({20, 8}));
}

TEST(Embedding, BuildsItselfOnTheFirstForward) {
  Embedding embedding(6, 3);
  EXPECT_FALSE(embedding.built());
  EXPECT_EQ(embedding.forward(kIds, {}).shape(), Shape({2, 4, 3}));
  EXPECT_TRUE(embedding.built());
  EXPECT_EQ(embedding.dtype(), DType::float32);
}

}  // namespace
}  // namespace cuseq
