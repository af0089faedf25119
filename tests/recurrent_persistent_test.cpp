// The CPU persistent recurrent loop (RecurrentAlgorithm::persistent,
// kernels/recurrent_persistent_cpu.cpp): Keras' equations and finite
// differences for every option, the standard loop's outputs, states and
// gradients with masks, dropout, go_backwards and initial states, and the
// same results bit for bit with any thread count.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "cuseq/cpu_kernels.h"
#include "cuseq/threads.h"
#include "recurrent_persistent_case.h"

namespace cuseq::testing {
namespace {

const Device kCpu = Device::cpu();

RecurrentOptions persistent(RecurrentOptions options) {
  options.algorithm = RecurrentAlgorithm::persistent;
  return options;
}

// float64, small: the reference and the finite differences of
// recurrent_reference.h, run through the persistent loop.
TEST(RecurrentPersistentCpu, FollowsKerasEquationsAndFiniteDifferencesForEveryOption) {
  for (const std::string cell : {"LSTM", "GRU", "SimpleRNN"}) {
    SCOPED_TRACE(cell);
    for_each_variant([&](const RecurrentOptions& options, const RecurrentCase& c) {
      expect_matches_reference(cell, persistent(options), c);
      expect_gradients_are_exact(cell, persistent(options), c);
    });
  }
}

// The persistent loop sums each gate's units products in its own order,
// OpenBLAS in another: float32 outputs agree within 1e-4, gradients (sums
// over steps and samples too) within 1e-3, float64 to round-off.
template <class T>
void expect_persistent_matches_standard(const PersistentCase& c) {
  SCOPED_TRACE(describe(c));
  const bool single = std::is_same_v<T, float>;
  const Problem problem = make_problem<T>(c);
  const Outcome persistent = run(problem, RecurrentAlgorithm::persistent, kCpu);
  const Outcome standard = run(problem, RecurrentAlgorithm::standard, kCpu);
  expect_outcomes_near(persistent, standard, single ? 1e-3 : 1e-10, "persistent vs standard");
  for (std::size_t i = 0; i < persistent.forward_count; ++i) {
    expect_all_near(persistent.values[i], standard.values[i], single ? 1e-4 : 1e-12,
                    "forward: " + persistent.names[i]);
  }
}

// Sets the pool's thread count for a scope.
class ThreadCount {
 public:
  explicit ThreadCount(int threads) : previous_(num_threads()) { set_num_threads(threads); }
  ~ThreadCount() { set_num_threads(previous_); }
  ThreadCount(const ThreadCount&) = delete;
  ThreadCount& operator=(const ThreadCount&) = delete;

 private:
  int previous_;
};

// Units within one panel block (8), across a partial one (33, 16 floats or
// 8 doubles a block) and over several blocks (70), on the teams their steps
// are worth (one thread for the smallest); then 300 units of 40 samples,
// whose step GEMMs are large enough for a team of 3 threads.
void expect_all_sizes_match(RecurrentCell cell) {
  for (const std::int64_t batch : {1, 5, 17}) {
    for (const std::int64_t units : {8, 33, 70}) {
      PersistentCase c;
      c.cell = cell, c.batch = batch, c.units = units;
      expect_persistent_matches_standard<float>(c);
    }
  }
  const ThreadCount three(3);
  PersistentCase c;
  c.cell = cell, c.batch = 40, c.units = 300;
  expect_persistent_matches_standard<float>(c);
}

TEST(RecurrentPersistentCpu, LstmMatchesStandardWithMasksDropoutAndInitialStates) {
  expect_all_sizes_match(RecurrentCell::lstm);
}

TEST(RecurrentPersistentCpu, GruMatchesStandardWithMasksDropoutAndInitialStates) {
  expect_all_sizes_match(RecurrentCell::gru);
}

TEST(RecurrentPersistentCpu, SimpleRnnMatchesStandardWithMasksDropoutAndInitialStates) {
  expect_all_sizes_match(RecurrentCell::simple_rnn);
}

TEST(RecurrentPersistentCpu, GoBackwardsFinalOutputOnlyAndPlainInputsMatch) {
  for (const RecurrentCell cell :
       {RecurrentCell::lstm, RecurrentCell::gru, RecurrentCell::simple_rnn}) {
    PersistentCase c;
    c.cell = cell, c.go_backwards = true;
    expect_persistent_matches_standard<float>(c);
    c.go_backwards = false, c.return_sequences = false, c.units = 70;
    expect_persistent_matches_standard<float>(c);
    c.masks = c.dropout = c.initial_states = false;
    expect_persistent_matches_standard<float>(c);
  }
}

TEST(RecurrentPersistentCpu, Float64MatchesToRoundOff) {
  for (const RecurrentCell cell : {RecurrentCell::lstm, RecurrentCell::gru}) {
    PersistentCase c;
    c.cell = cell, c.units = 21;
    expect_persistent_matches_standard<double>(c);
  }
}

// What the time loop computes: outputs, final states and d(initial states),
// which every step's gradients feed. (d x and the weight gradients are BLAS
// GEMMs and a reduction over all steps after the loop, whose split between
// threads is theirs: OpenBLAS's d x differs in the last bit with 7 threads.)
std::vector<std::vector<double>> time_loop_values(const Outcome& outcome) {
  std::vector<std::vector<double>> values;
  for (std::size_t i = 0; i < outcome.names.size(); ++i) {
    if (outcome.names[i] == "d x" || outcome.names[i].rfind("d kernel", 0) == 0 ||
        outcome.names[i].rfind("d recurrent_kernel", 0) == 0 ||
        outcome.names[i].rfind("d bias", 0) == 0)
      continue;
    values.push_back(outcome.values[i]);
  }
  return values;
}

// Every unit's sums run in one order whatever thread owns it: 300 units
// make teams of 1, 2, 3 and 7 threads (of 1, 2, 3 and 7) that split 16
// samples into groups of 4 or more, 8 samples into 2 groups and the units of
// each among the threads left, and 5 samples not at all (the units only);
// 60 steps of barriers with more threads than this machine has cores also
// exercise the sleeping wait.
TEST(RecurrentPersistentCpu, ResultsAreIdenticalForAnyThreadCount) {
  for (const RecurrentCell cell : {RecurrentCell::lstm, RecurrentCell::gru}) {
    for (const std::int64_t batch : {16, 8, 5}) {
      PersistentCase c;
      c.cell = cell, c.units = 300, c.batch = batch, c.steps = 60;
      SCOPED_TRACE(describe(c));
      const Problem problem = make_problem<float>(c);
      std::vector<std::vector<std::vector<double>>> results;
      for (const int threads : {1, 2, 3, 7}) {
        const ThreadCount count(threads);
        results.push_back(time_loop_values(run(problem, RecurrentAlgorithm::persistent, kCpu)));
      }
      ASSERT_EQ(results[0].size(), cell == RecurrentCell::lstm ? 5u : 3u);
      for (std::size_t i = 1; i < results.size(); ++i) {
        for (std::size_t v = 0; v < results[0].size(); ++v)
          EXPECT_EQ(results[i][v], results[0][v]) << "thread count #" << i << ", value " << v;
      }
    }
  }
}

// A loop started while another holds the thread pool runs on its calling
// thread alone, a team of one that must still take every sample and unit:
// three callers at once, each as if alone.
TEST(RecurrentPersistentCpu, LoopsStartedFromSeveralThreadsAtOnceMatchOneAlone) {
  const ThreadCount two(2);
  PersistentCase c;
  c.units = 300, c.batch = 16, c.steps = 60;
  const Problem problem = make_problem<float>(c);
  const std::vector<std::vector<double>> alone =
      time_loop_values(run(problem, RecurrentAlgorithm::persistent, kCpu));
  // [caller][repeat] -> the time loop's values
  std::vector<std::vector<std::vector<std::vector<double>>>> results(3);
  std::vector<std::thread> callers;
  for (auto& caller_results : results) {
    callers.emplace_back([&problem, &caller_results] {
      for (int repeat = 0; repeat < 3; ++repeat)
        caller_results.push_back(
            time_loop_values(run(problem, RecurrentAlgorithm::persistent, kCpu)));
    });
  }
  for (std::thread& caller : callers) caller.join();
  for (const auto& caller_results : results) {
    for (const auto& values : caller_results) EXPECT_EQ(values, alone);
  }
}

TEST(RecurrentPersistentCpu, LayerPassesTheAlgorithmToTheOp) {
  RecurrentOptions options;
  options.return_sequences = true;
  options.seed = 3;
  options.algorithm = RecurrentAlgorithm::standard;
  auto standard = make_recurrent("GRU", 40, options);
  auto looped = make_recurrent("GRU", 40, persistent(options));
  Generator g1(4), g2(4);
  standard->build(Shape{6, 5}, DType::float32, kCpu, g1);
  looped->build(Shape{6, 5}, DType::float32, kCpu, g2);
  const Tensor x = random_tensor<float>({3, 6, 5}, 1);
  ForwardContext context;
  const std::vector<float> a = standard->forward(x, context).to_vector<float>();
  const std::vector<float> b = looped->forward(x, context).to_vector<float>();
  expect_all_near(b, a, 1e-4, "output");
  EXPECT_NE(a, b) << "the two algorithms round differently: the option reached the op";
}

// `automatic` takes the persistent loop where it measured faster: on CPUs
// with AVX-512 (bench/results/cpu-vm/persistent-cpu), else the standard loop.
TEST(RecurrentPersistentCpu, AutomaticPicksThePersistentLoopWithAvx512ElseStandard) {
  const std::string level = cpu_kernel_level();
  if (level == "single") GTEST_SKIP() << "this build has one copy of the CPU loops";
  PersistentCase c;
  c.units = 40;
  const Problem problem = make_problem<float>(c);
  const Outcome persistent = run(problem, RecurrentAlgorithm::persistent, kCpu);
  const Outcome standard = run(problem, RecurrentAlgorithm::standard, kCpu);
  ASSERT_NE(persistent.values, standard.values) << "the algorithms must differ in rounding";
  const Outcome automatic = run(problem, RecurrentAlgorithm::automatic, kCpu);
  EXPECT_EQ(automatic.values, level == "avx512" ? persistent.values : standard.values) << level;
}

TEST(RecurrentAlgorithm, IsNotPartOfTheLayerConfig) {
  RecurrentOptions options;
  options.algorithm = RecurrentAlgorithm::standard;
  const LayerConfig config = LSTM(4, options).config();
  for (const auto& [key, value] : config) EXPECT_EQ(key.find("algorithm"), std::string::npos);
}

}  // namespace
}  // namespace cuseq::testing
