// Communicator semantics that need no second process: the single-process
// backend, and the bucketing, checked through a stand-in backend.
#include "test_support.h"

namespace cuseq {
namespace {

// Pretends to be rank 0 of 2 where the other process holds 3 x this one's
// values: the mean is then 2 x. Records each reduced buffer's size.
class PretendPairCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 2; }
  std::string backend() const override { return "pretend"; }
  void broadcast(Tensor&, int) override {}
  void barrier() override {}
  std::vector<std::int64_t> reduced_sizes;

 protected:
  void all_reduce_mean_in_place(Tensor& buffer) override {
    reduced_sizes.push_back(buffer.numel());
    ops::axpby(2.0, buffer, 0.0, buffer, buffer);
  }
};

TEST(Communicator, SingleProcessLeavesTensorsUnchanged) {
  const auto communicator = make_single_process_communicator();
  EXPECT_EQ(communicator->rank(), 0);
  EXPECT_EQ(communicator->size(), 1);
  Tensor a = testing::random_tensor<float>(Shape{3, 4}, 1);
  const std::vector<float> before = a.to_vector<float>();
  communicator->all_reduce_mean({&a});
  communicator->broadcast(a, 0);
  communicator->barrier();
  EXPECT_EQ(a.to_vector<float>(), before);
}

TEST(Communicator, BucketsPackSmallTensorsAndRestoreEachOne) {
  PretendPairCommunicator communicator;
  communicator.set_bucket_bytes(40 * sizeof(float));
  std::vector<Tensor> tensors = {
      testing::random_tensor<float>(Shape{3, 4}, 1),  // 12
      testing::random_tensor<float>(Shape{20}, 2),    // 32 so far
      testing::random_tensor<float>(Shape{2, 5}, 3),  // over 40: new bucket
      testing::random_tensor<float>(Shape{50}, 4),    // alone, in place
      testing::random_tensor<double>(Shape{4}, 5)};   // another dtype
  std::vector<std::vector<double>> expected;
  std::vector<Tensor*> pointers;
  for (Tensor& t : tensors) {
    std::vector<double> values;
    if (t.dtype() == DType::float32) {
      for (float v : t.to_vector<float>()) values.push_back(2.0 * v);
    } else {
      for (double v : t.to_vector<double>()) values.push_back(2.0 * v);
    }
    expected.push_back(values);
    pointers.push_back(&t);
  }
  communicator.all_reduce_mean(pointers);
  EXPECT_EQ(communicator.reduced_sizes, (std::vector<std::int64_t>{32, 10, 50, 4}));
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    if (t.dtype() == DType::float32) {
      testing::expect_all_near(t.to_vector<float>(), expected[i], 1e-6,
                               "tensor " + std::to_string(i));
    } else {
      testing::expect_all_near(t.to_vector<double>(), expected[i], 1e-12,
                               "tensor " + std::to_string(i));
    }
  }
}

TEST(Communicator, RejectsIntegerTensors) {
  PretendPairCommunicator communicator;
  Tensor ids = Tensor::zeros(Shape{3}, DType::int32);
  testing::expect_error_mentions([&] { communicator.all_reduce_mean({&ids}); },
                                 {"all_reduce_mean", "float32 or float64", "int32"});
}

TEST(Communicator, FactoryNamesTheBackendsItKnows) {
  EXPECT_EQ(make_communicator("single")->backend(), "single");
  testing::expect_error_mentions([] { make_communicator("gloo"); },
                                 {"make_communicator", "gloo", "auto, single, mpi or nccl"});
}

TEST(Communicator, BackendsThatWereNotBuiltSaySo) {
  if (!built_with_mpi()) {
    testing::expect_error_mentions([] { make_mpi_communicator(); }, {"without MPI", "CUSEQ_MPI"});
  }
  if (!built_with_nccl()) {
    testing::expect_error_mentions([] { make_nccl_communicator(Device::cuda(0)); },
                                   {"without NCCL"});
  }
  if (built_with_mpi() && built_with_nccl()) GTEST_SKIP() << "both backends are built here";
}

}  // namespace
}  // namespace cuseq
