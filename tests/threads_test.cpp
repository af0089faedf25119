// cuseq's CPU thread pool (cuseq/threads.h) seen from outside: the thread
// count is a setting, loops give the same results for any count, and loops
// started from several threads at once all finish with the right result.
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

namespace cuseq {
namespace {

// Restores the thread count a test changed.
class ThreadCountGuard {
 public:
  ThreadCountGuard() : saved_(num_threads()) {}
  ~ThreadCountGuard() { set_num_threads(saved_); }
  ThreadCountGuard(const ThreadCountGuard&) = delete;
  ThreadCountGuard& operator=(const ThreadCountGuard&) = delete;

 private:
  int saved_;
};

// Work large enough for every parallel walker to split it.
struct ParallelResults {
  // Loops whose elements are each computed by one thread, whole: the same
  // bits for any thread count. A pointwise loop, and a column reduction.
  std::vector<float> activated, column_sums;
  // Through OpenBLAS, called once per block of the output: its kernels may
  // round a block's edge differently, so the bits may depend on the blocks.
  // A GEMM of 200-term sums of values in [-1, 1], and a recurrent layer (its
  // cell loop split over samples).
  std::vector<float> product, predictions;
};

ParallelResults parallel_results() {
  const Tensor x = testing::random_tensor<float>(Shape{400, 300}, 3, Device::cpu(), -3.0, 3.0);
  Tensor activated = Tensor::empty(x.shape(), DType::float32);
  ops::activation_forward(Activation::tanh, x, activated);
  const Tensor a = testing::random_tensor<float>(Shape{300, 200}, 1);
  const Tensor b = testing::random_tensor<float>(Shape{200, 150}, 2);
  RecurrentOptions every_step;
  every_step.return_sequences = true;
  Sequential model;
  model.emplace<LSTM>(128, every_step);
  model.build({12, 16}, DType::float32, Device::cpu());
  const Tensor sequences = testing::random_tensor<float>(Shape{64, 12, 16}, 4);
  return {activated.to_vector<float>(), ops::reduce(Reduction::sum, x, 0).to_vector<float>(),
          ops::matmul(a, b).to_vector<float>(), model.predict(sequences, 64).to_vector<float>()};
}

void expect_same_results(const ParallelResults& actual, const ParallelResults& expected,
                         const std::string& what) {
  EXPECT_EQ(actual.activated, expected.activated) << what;
  EXPECT_EQ(actual.column_sums, expected.column_sums) << what;
  testing::expect_all_near(actual.product, expected.product, 2e-5, what + ", product");
  testing::expect_all_near(actual.predictions, expected.predictions, 2e-5, what + ", LSTM");
}

TEST(Threads, SetNumThreadsChangesTheCount) {
  const ThreadCountGuard guard;
  set_num_threads(3);
  EXPECT_EQ(num_threads(), 3);
  set_num_threads(1);
  EXPECT_EQ(num_threads(), 1);
}

TEST(Threads, ZeroThreadsIsAClearError) {
  testing::expect_error_mentions([] { set_num_threads(0); },
                                 {"set_num_threads", "from 1 to", "got 0"});
}

TEST(Threads, ResultsAgreeForAnyThreadCount) {
  const ThreadCountGuard guard;
  set_num_threads(1);
  const auto alone = parallel_results();
  for (const int threads : {2, 3, 7}) {
    set_num_threads(threads);
    expect_same_results(parallel_results(), alone, std::to_string(threads) + " threads");
  }
}

TEST(Threads, LoopsStartedFromSeveralThreadsAtOnceAllFinishRight) {
  const ThreadCountGuard guard;
  set_num_threads(3);
  const auto expected = parallel_results();
  std::vector<ParallelResults> results(4);
  std::vector<std::thread> callers;
  for (auto& result : results) {
    callers.emplace_back([&result] {
      for (int repeat = 0; repeat < 3; ++repeat) result = parallel_results();
    });
  }
  for (std::thread& caller : callers) caller.join();
  for (const ParallelResults& result : results) expect_same_results(result, expected, "caller");
}

}  // namespace
}  // namespace cuseq
