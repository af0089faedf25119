// GPU memory that cannot be had is a cuseq::Error naming the tensor's shape,
// dtype and device, as on the host (tensor_allocation_test.cpp).
#include <gtest/gtest.h>

#include "test_support.h"

namespace cuseq {
namespace {

TEST(TensorAllocationGpu, DeviceMemoryExhaustionIsAnErrorNamingShapeAndDtype) {
  CUSEQ_REQUIRE_GPU();
  // 2^52 bytes (4 PiB): more than any GPU has.
  testing::expect_error_mentions(
      [] {
        Tensor::empty(Shape{std::int64_t{1} << 47, 8}, DType::float32, Device::cuda(0));
      },
      {"Tensor", "float32[140737488355328, 8]", "cuda:0", "cudaMalloc"});
}

}  // namespace
}  // namespace cuseq
