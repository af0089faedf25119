#include <gtest/gtest.h>

#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_error_mentions;

TEST(Tensor, FromVectorRoundTripsValuesAndShape) {
  const Tensor t = Tensor::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.dtype(), DType::float32);
  EXPECT_EQ(t.device(), Device::cpu());
  EXPECT_EQ(t.to_vector<float>(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(Tensor, ZerosIsZeroForEveryDtype) {
  EXPECT_EQ(Tensor::zeros({3}, DType::float64).to_vector<double>(), std::vector<double>(3, 0.0));
  EXPECT_EQ(Tensor::zeros({2}, DType::int32).to_vector<std::int32_t>(),
            std::vector<std::int32_t>(2, 0));
}

TEST(Tensor, ReshapeIsAViewSharingStorage) {
  Tensor t = Tensor::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor view = t.reshape({3, -1});
  EXPECT_EQ(view.shape(), (Shape{3, 2}));
  view.zero();
  EXPECT_EQ(t.to_vector<float>(), std::vector<float>(6, 0.0f));
}

TEST(Tensor, SliceSelectsRowsWithoutCopying) {
  Tensor t = Tensor::from_vector<std::int32_t>({0, 1, 2, 3, 4, 5, 6, 7}, {4, 2});
  Tensor rows = t.slice(1, 3);
  EXPECT_EQ(rows.shape(), (Shape{2, 2}));
  EXPECT_EQ(rows.to_vector<std::int32_t>(), (std::vector<std::int32_t>{2, 3, 4, 5}));
  EXPECT_EQ(t[3].to_vector<std::int32_t>(), (std::vector<std::int32_t>{6, 7}));
  rows.zero();
  EXPECT_EQ(t.to_vector<std::int32_t>(), (std::vector<std::int32_t>{0, 1, 0, 0, 0, 0, 6, 7}));
}

TEST(Tensor, CloneIsIndependent) {
  Tensor t = Tensor::from_vector<double>({1, 2}, {2});
  Tensor copy = t.clone();
  t.zero();
  EXPECT_EQ(copy.to_vector<double>(), (std::vector<double>{1, 2}));
}

TEST(Tensor, ItemReadsTheSingleElement) {
  EXPECT_DOUBLE_EQ(Tensor::from_vector<float>({2.5f}, {1}).item(), 2.5);
  expect_error_mentions([] { Tensor::zeros({2}).item(); }, {"item", "one element"});
}

TEST(Tensor, WrongValueCountIsAnErrorNamingTheShape) {
  expect_error_mentions(
      [] {
        Tensor::from_vector<float>({1, 2, 3}, {2, 2});
      },
      {"from_vector", "[2, 2]", "4", "3"});
}

TEST(Tensor, WrongTypedAccessIsAnError) {
  const Tensor t = Tensor::zeros({2}, DType::int32);
  expect_error_mentions([&] { t.to_vector<float>(); }, {"int32", "float32"});
}

TEST(Tensor, BadReshapeAndSliceAreErrors) {
  const Tensor t = Tensor::zeros({2, 3});
  expect_error_mentions([&] { t.reshape({4, 2}); }, {"reshape", "[4, 2]"});
  expect_error_mentions([&] { t.slice(1, 5); }, {"slice", "[1, 5)"});
}

TEST(Tensor, NegativeExtentIsAnError) {
  expect_error_mentions([] { Shape({2, -3}); }, {"Shape", "non-negative"});
}

TEST(Tensor, UndefinedTensorIsReportedNotDereferenced) {
  const Tensor t;
  EXPECT_FALSE(t.defined());
  expect_error_mentions([&] { t.device(); }, {"undefined"});
}

TEST(Device, ParsesNames) {
  EXPECT_EQ(Device::parse("cpu"), Device::cpu());
  EXPECT_EQ(Device::parse("cuda"), Device::cuda(0));
  EXPECT_EQ(Device::parse("cuda:1"), Device::cuda(1));
  EXPECT_EQ(Device::cuda(2).str(), "cuda:2");
  expect_error_mentions([] { Device::parse("tpu"); }, {"Device", "tpu"});
}

TEST(Device, AskingForAMissingGpuIsAClearError) {
  if (cuda_available()) GTEST_SKIP() << "a GPU is present";
  EXPECT_FALSE(cuda_unavailable_reason().empty());
  EXPECT_EQ(default_device(), Device::cpu());
  expect_error_mentions([] { Tensor::zeros({2}, DType::float32, Device::cuda(0)); }, {"cuda:0"});
}

TEST(Memory, HostStatisticsTrackLiveTensors) {
  const std::size_t before = memory_stats(Device::cpu()).bytes_in_use;
  {
    const Tensor t = Tensor::zeros({1000}, DType::float64);
    EXPECT_GE(memory_stats(Device::cpu()).bytes_in_use, before + 8000);
    EXPECT_GE(memory_stats(Device::cpu()).peak_bytes_in_use, before + 8000);
  }
  EXPECT_EQ(memory_stats(Device::cpu()).bytes_in_use, before);
}

TEST(Memory, HostBlocksOfATrainingStepAreReusedNotReturned) {
  empty_cache(Device::cpu());
  const void* first = nullptr;
  {
    const Tensor activations = Tensor::zeros({256, 1024}, DType::float32);  // 1 MiB
    first = activations.raw_data();
  }
  EXPECT_GE(memory_stats(Device::cpu()).bytes_cached, std::size_t{1} << 20);
  {
    const Tensor again = Tensor::empty({256, 1024}, DType::float32);
    EXPECT_EQ(again.raw_data(), first);  // the same block, no new pages to fault in
    EXPECT_EQ(memory_stats(Device::cpu()).bytes_cached, 0u);
  }
  empty_cache(Device::cpu());
  EXPECT_EQ(memory_stats(Device::cpu()).bytes_cached, 0u);
}

TEST(Memory, SmallHostBlocksAreNotCached) {
  empty_cache(Device::cpu());
  { const Tensor small = Tensor::zeros({1000}, DType::float32); }
  EXPECT_EQ(memory_stats(Device::cpu()).bytes_cached, 0u);
}

TEST(Version, NamesTheBackend) {
  const std::string text = version();
  EXPECT_NE(text.find(built_with_cuda() ? "cuda" : "cpu"), std::string::npos) << text;
}

}  // namespace
}  // namespace cuseq
