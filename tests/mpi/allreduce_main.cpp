// Run by ctest as `mpirun -np 2 cuseq_mpi_tests`: two processes average
// gradients, and data-parallel SGD on halves of each global batch matches one
// process on the whole batch. Its own executable, because MPI_Init may run
// once per process and the collective calls need every rank.
#include <gtest/gtest.h>

#include "cuseq/communicators.h"
#include "cuseq/cuseq.h"
#include "test_support.h"

namespace cuseq {
namespace {

std::unique_ptr<Communicator> world() {
  auto communicator = make_mpi_communicator();
  EXPECT_EQ(communicator->size(), 2) << "run with mpirun -np 2";
  return communicator;
}

TEST(MpiCommunicator, AllReduceLeavesTheMeanOnEveryProcess) {
  const auto communicator = world();
  const int rank = communicator->rank();
  communicator->set_bucket_bytes(256);  // several buckets, and one tensor reduced in place
  std::vector<Tensor> tensors = {testing::random_tensor<float>(Shape{3, 5}, 10 + rank),
                                 testing::random_tensor<double>(Shape{7}, 20 + rank),
                                 testing::random_tensor<float>(Shape{100}, 30 + rank)};
  std::vector<Tensor*> pointers;
  for (Tensor& t : tensors) pointers.push_back(&t);
  communicator->all_reduce_mean(pointers);
  // Both ranks' inputs are known here: recompute the mean independently.
  const auto mean_of = [](std::vector<double> a, const std::vector<double>& b) {
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = (a[i] + b[i]) / 2;
    return a;
  };
  testing::expect_all_near(tensors[0].to_vector<float>(),
                           mean_of(testing::random_values(15, 10), testing::random_values(15, 11)),
                           1e-6);
  testing::expect_all_near(tensors[1].to_vector<double>(),
                           mean_of(testing::random_values(7, 20), testing::random_values(7, 21)),
                           1e-12);
  testing::expect_all_near(
      tensors[2].to_vector<float>(),
      mean_of(testing::random_values(100, 30), testing::random_values(100, 31)), 1e-6);
}

TEST(MpiCommunicator, BroadcastCopiesTheRootsTensor) {
  const auto communicator = world();
  Tensor t = testing::random_tensor<float>(Shape{4, 4}, 40 + communicator->rank());
  communicator->broadcast(t, 1);
  testing::expect_all_near(t.to_vector<float>(), testing::random_values(16, 41), 1e-7);
  communicator->barrier();
}

// y = x W, loss = mean over rows of ||y - target||^2; its gradient on a batch
// of n rows is 2/n x^T (x W - target).
void sgd_step(Tensor& weights, const Tensor& x, const Tensor& target, Communicator* communicator,
              double learning_rate) {
  Tensor error = ops::matmul(x, weights);
  ops::subtract(error, target, error);
  Tensor gradient = Tensor::empty(weights.shape());
  ops::gemm(x, true, error, false, gradient, 2.0 / static_cast<double>(x.dim(0)));
  if (communicator != nullptr) communicator->all_reduce_mean({&gradient});
  ops::axpby(-learning_rate, gradient, 1.0, weights, weights);
}

TEST(MpiCommunicator, DataParallelSgdMatchesOneProcessOnTheWholeBatch) {
  const auto communicator = world();
  const int rank = communicator->rank();
  const std::int64_t batch = 8, in = 5, out = 3;
  Tensor parallel = testing::random_tensor<float>(Shape{in, out}, 50);
  Tensor single = parallel.clone();
  for (int step = 0; step < 10; ++step) {
    const Tensor x = testing::random_tensor<float>(Shape{batch, in}, 100 + step);
    const Tensor target = testing::random_tensor<float>(Shape{batch, out}, 200 + step);
    // This rank's half of the global batch, as BpttBatcher splits streams.
    const std::int64_t half = batch / 2;
    sgd_step(parallel, x.slice(rank * half, (rank + 1) * half),
             target.slice(rank * half, (rank + 1) * half), communicator.get(), 0.05);
    sgd_step(single, x, target, nullptr, 0.05);
  }
  testing::expect_all_near(parallel.to_vector<float>(), single.to_vector<float>(), 1e-5);
  // And the two processes hold the same weights.
  Tensor from_root = parallel.clone();
  communicator->broadcast(from_root, 0);
  EXPECT_EQ(from_root.to_vector<float>(), parallel.to_vector<float>());
}

}  // namespace
}  // namespace cuseq
