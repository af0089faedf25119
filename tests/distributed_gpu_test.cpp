// Communicators on GPU tensors: with one process the mean is the tensor
// itself, whether NCCL reduces it on the device or MPI through the host.
#include "cuseq/communicators.h"
#include "test_support.h"

namespace cuseq {
namespace {

void expect_mean_of_one_process_is_identity(Communicator& communicator) {
  communicator.set_bucket_bytes(64);
  Tensor small = testing::random_tensor<float>(Shape{3, 4}, 1, Device::cuda(0));
  Tensor large = testing::random_tensor<float>(Shape{100}, 2, Device::cuda(0));
  const auto small_before = small.to_vector<float>();
  const auto large_before = large.to_vector<float>();
  communicator.all_reduce_mean({&small, &large});
  synchronize(Device::cuda(0));
  testing::expect_all_near(small.to_vector<float>(), small_before, 1e-6);
  testing::expect_all_near(large.to_vector<float>(), large_before, 1e-6);
  communicator.broadcast(large, 0);
  testing::expect_all_near(large.to_vector<float>(), large_before, 1e-6);
}

TEST(CommunicatorGpu, NcclMeanOverOneProcessIsTheTensor) {
  CUSEQ_REQUIRE_GPU();
  if (!built_with_nccl()) GTEST_SKIP() << "cuseq was built without NCCL";
  const auto communicator = make_nccl_communicator(Device::cuda(0));
  if (communicator->size() != 1) GTEST_SKIP() << "run as one process";
  expect_mean_of_one_process_is_identity(*communicator);
}

TEST(CommunicatorGpu, MpiReducesGpuTensorsThroughTheHost) {
  CUSEQ_REQUIRE_GPU();
  if (!built_with_mpi()) GTEST_SKIP() << "cuseq was built without MPI";
  const auto communicator = make_mpi_communicator();
  if (communicator->size() != 1) GTEST_SKIP() << "run as one process";
  expect_mean_of_one_process_is_identity(*communicator);
}

}  // namespace
}  // namespace cuseq
