// Sizes no machine can hold: every one is a cuseq::Error naming the shape and
// dtype, never an overflowed count, a wrapped-around buffer or a bare
// std::bad_alloc.
#include <gtest/gtest.h>

#include <new>

#include "test_support.h"

namespace cuseq {
namespace {

using testing::expect_error_mentions;

// Runs `body`, which must throw a cuseq::Error (not std::bad_alloc) whose
// message holds every fragment.
template <class Body>
void expect_size_error(Body body, const std::vector<std::string>& fragments) {
  try {
    expect_error_mentions(body, fragments);
  } catch (const std::bad_alloc&) {
    ADD_FAILURE() << "a bare std::bad_alloc instead of a cuseq::Error";
  }
}

TEST(TensorAllocation, ElementCountThatOverflowsInt64IsAnError) {
  expect_size_error(
      [] {
        Shape({std::int64_t{1} << 34, std::int64_t{1} << 30}).numel();
      },
      {"Shape", "[17179869184, 1073741824]", "overflows"});
}

TEST(TensorAllocation, ByteCountBeyondTheAddressSpaceIsAnErrorNamingShapeAndDtype) {
  const std::int64_t extent = (std::int64_t{1} << 62) - 1;
  expect_size_error([&] { Tensor::zeros(Shape{extent}, DType::float32); },
                    {"Tensor", "float32[4611686018427387903]"});
}

TEST(TensorAllocation, HostMemoryExhaustionIsAnErrorNamingShapeAndDtype) {
  // 2^50 float64 values: 8 PiB, more than any machine's memory, well inside the address space.
  expect_size_error(
      [] {
        Tensor::empty(Shape{std::int64_t{1} << 47, 8}, DType::float64);
      },
      {"Tensor", "float64[140737488355328, 8]", "cpu", "bytes"});
}

TEST(TensorAllocation, EmbeddingTooLargeToIndexIsAnErrorAtBuild) {
  Sequential model;
  model.emplace<Embedding>(std::int64_t{1} << 34, std::int64_t{1} << 30);
  expect_size_error([&] { model.build({3}, DType::float32, Device::cpu()); },
                    {"embedding", "17179869184", "1073741824"});
}

TEST(TensorAllocation, DenseTooLargeForMemoryIsAnErrorAtBuild) {
  Sequential model;
  model.emplace<Dense>(std::int64_t{1} << 46);
  expect_size_error([&] { model.build({64}, DType::float32, Device::cpu()); },
                    {"float32[64, 70368744177664]"});
}

}  // namespace
}  // namespace cuseq
