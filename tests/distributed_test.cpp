// Communicator semantics that need no second process: the single-process
// backend, and the bucketing, checked through a stand-in backend.
#include "cuseq/communicators.h"
#include "test_support.h"

namespace cuseq {
namespace {

// Pretends to be rank 0 of 2 where the other process holds 3 x this one's
// values: the mean is then 2 x, written when the reductions finish (as an
// asynchronous backend would). Records each started buffer's size, and logs
// starts and finishes in `events` beside what the test logs there.
class PretendPairCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 2; }
  std::string backend() const override { return "pretend"; }
  void broadcast(Tensor&, int) override {}
  void barrier() override {}
  std::vector<std::int64_t> reduced_sizes;
  std::vector<std::string> events;

 protected:
  void start_all_reduce_mean_in_place(Tensor& buffer) override {
    reduced_sizes.push_back(buffer.numel());
    events.push_back("start " + std::to_string(buffer.numel()));
    in_flight_.push_back(buffer);
  }
  void finish_all_reduces() override {
    events.push_back("finish");
    for (Tensor& buffer : in_flight_) ops::axpby(2.0, buffer, 0.0, buffer, buffer);
    in_flight_.clear();
  }

 private:
  std::vector<Tensor> in_flight_;
};

std::vector<float> doubled(const Tensor& t) {
  std::vector<float> values = t.to_vector<float>();
  for (float& v : values) v *= 2.0f;
  return values;
}

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

TEST(GradientReducer, StartsEachBucketDuringBackwardAsSoonAsItsGradientsAreFinal) {
  PretendPairCommunicator communicator;
  communicator.set_bucket_bytes(32 * sizeof(float));
  // Gradients of three layers, in backward order (layer 2 first).
  std::vector<std::vector<Tensor>> layers = {
      {testing::random_tensor<float>(Shape{8}, 1)},   // 0
      {testing::random_tensor<float>(Shape{40}, 2)},  // 1: alone
      {testing::random_tensor<float>(Shape{3, 4}, 3), testing::random_tensor<float>(Shape{20}, 4)}};
  std::vector<Tensor*> backward_order;
  std::vector<std::vector<float>> expected;
  for (int layer = 2; layer >= 0; --layer) {
    for (Tensor& grad : layers[layer]) {
      backward_order.push_back(&grad);
      expected.push_back(doubled(grad));
    }
  }
  GradientReducer reducer(communicator, backward_order);
  EXPECT_EQ(reducer.bucket_count(), 3u);
  for (int layer = 2; layer >= 0; --layer) {
    communicator.events.push_back("layer " + std::to_string(layer) + " done");
    std::vector<Tensor*> grads;
    for (Tensor& grad : layers[layer]) grads.push_back(&grad);
    reducer.mark_ready(grads);
  }
  communicator.events.push_back("backward done");
  reducer.wait_all();
  EXPECT_EQ(communicator.events,
            (std::vector<std::string>{"layer 2 done", "start 32", "layer 1 done", "start 40",
                                      "layer 0 done", "start 8", "backward done", "finish"}));
  for (std::size_t i = 0; i < backward_order.size(); ++i) {
    testing::expect_all_near(backward_order[i]->to_vector<float>(), expected[i], 1e-6,
                             "gradient " + std::to_string(i));
  }
}

TEST(GradientReducer, StartsBucketsInPlannedOrderWhateverOrderTheyBecomeReady) {
  // Every process must issue its collectives in the same order.
  PretendPairCommunicator communicator;
  communicator.set_bucket_bytes(10 * sizeof(float));
  Tensor first = testing::random_tensor<float>(Shape{10}, 1);
  Tensor second = testing::random_tensor<float>(Shape{6}, 2);
  GradientReducer reducer(communicator, {&first, &second});
  reducer.mark_ready({&second});
  EXPECT_EQ(reducer.started_buckets(), 0u);
  reducer.mark_ready({&first});
  EXPECT_EQ(communicator.reduced_sizes, (std::vector<std::int64_t>{10, 6}));
  reducer.wait_all();
}

TEST(GradientReducer, WaitAllStartsBucketsNeverMarkedReady) {
  PretendPairCommunicator communicator;
  Tensor a = testing::random_tensor<float>(Shape{5}, 1);
  Tensor b = testing::random_tensor<float>(Shape{7}, 2);
  const std::vector<float> expected_a = doubled(a), expected_b = doubled(b);
  GradientReducer reducer(communicator, {&a, &b});
  reducer.mark_ready({&a});
  EXPECT_EQ(reducer.started_buckets(), 0u);  // b shares the bucket and is not final yet
  reducer.wait_all();
  EXPECT_EQ(communicator.events, (std::vector<std::string>{"start 12", "finish"}));
  testing::expect_all_near(a.to_vector<float>(), expected_a, 1e-6, "a");
  testing::expect_all_near(b.to_vector<float>(), expected_b, 1e-6, "b");
}

TEST(GradientReducer, RejectsTensorsItWasNotGiven) {
  PretendPairCommunicator communicator;
  Tensor mine = testing::random_tensor<float>(Shape{4}, 1);
  Tensor other = testing::random_tensor<float>(Shape{4}, 2);
  GradientReducer reducer(communicator, {&mine});
  testing::expect_error_mentions([&] { reducer.mark_ready({&other}); },
                                 {"GradientReducer::mark_ready", "not given to this reducer"});
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
