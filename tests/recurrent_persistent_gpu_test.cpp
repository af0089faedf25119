// The persistent recurrent kernels (RecurrentAlgorithm::persistent) against
// the standard time loop on the GPU and against the CPU: outputs, final
// states and every gradient, with masks (mixed lengths, left padding),
// go_backwards, return_sequences, initial states and both dropouts.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include "recurrent_persistent_case.h"

namespace cuseq::testing {
namespace {

const Device kGpu = Device::cuda(0);

// float32: the persistent kernel sums each gate's H products (and backward's
// G*H) in another order than cuBLAS and the CPU BLAS, a relative error of a
// few 1e-7 per step that the recurrence carries through the steps; outputs
// and states stay within 1e-4, gradients (sums over steps and samples too)
// within 1e-3, the tolerances of the other GPU-vs-CPU recurrent tests.
template <class T>
void expect_persistent_matches_standard(const PersistentCase& c) {
  SCOPED_TRACE(describe(c));
  const bool single = std::is_same_v<T, float>;
  const Problem problem = make_problem<T>(c);
  const Outcome persistent = run(problem, RecurrentAlgorithm::persistent, kGpu);
  const Outcome standard = run(problem, RecurrentAlgorithm::standard, kGpu);
  const Outcome cpu = run(problem, RecurrentAlgorithm::standard, Device::cpu());
  expect_outcomes_near(persistent, standard, single ? 1e-3 : 1e-10, "persistent vs standard GPU");
  expect_outcomes_near(persistent, cpu, single ? 1e-3 : 1e-10, "persistent GPU vs CPU");
  // The forward values alone, tighter.
  for (std::size_t i = 0; i < persistent.forward_count; ++i) {
    expect_all_near(persistent.values[i], cpu.values[i], single ? 1e-4 : 1e-12,
                    "forward: " + persistent.names[i]);
  }
}

// Units spread over many blocks: at most one block per SM, 132 SMs on an
// H200, 4 on the emulated GPU (whose shared memory also holds less).
constexpr std::int64_t kManyBlockUnits = kEmulatedGpu ? 40 : 256;

void expect_all_sizes_match(RecurrentCell cell) {
  for (const std::int64_t batch : {1, 5, 16}) {
    for (const std::int64_t units : {std::int64_t{8}, std::int64_t{33}, kManyBlockUnits}) {
      PersistentCase c;
      c.cell = cell, c.batch = batch, c.units = units;
      expect_persistent_matches_standard<float>(c);
    }
  }
}

TEST(RecurrentPersistentGpu, LstmMatchesStandardAndCpuWithMasksDropoutAndInitialStates) {
  CUSEQ_REQUIRE_GPU();
  expect_all_sizes_match(RecurrentCell::lstm);
}

TEST(RecurrentPersistentGpu, GruMatchesStandardAndCpuWithMasksDropoutAndInitialStates) {
  CUSEQ_REQUIRE_GPU();
  expect_all_sizes_match(RecurrentCell::gru);
}

TEST(RecurrentPersistentGpu, SimpleRnnMatchesStandardAndCpuWithMasksDropoutAndInitialStates) {
  CUSEQ_REQUIRE_GPU();
  expect_all_sizes_match(RecurrentCell::simple_rnn);
}

TEST(RecurrentPersistentGpu, GoBackwardsAndFinalOutputOnlyMatch) {
  CUSEQ_REQUIRE_GPU();
  for (const RecurrentCell cell :
       {RecurrentCell::lstm, RecurrentCell::gru, RecurrentCell::simple_rnn}) {
    PersistentCase c;
    c.cell = cell, c.go_backwards = true;
    expect_persistent_matches_standard<float>(c);
    c.go_backwards = false, c.return_sequences = false, c.batch = 16, c.units = kManyBlockUnits;
    expect_persistent_matches_standard<float>(c);
  }
}

TEST(RecurrentPersistentGpu, PlainInputsWithoutMasksOrStatesMatch) {
  CUSEQ_REQUIRE_GPU();
  PersistentCase c;
  c.masks = c.dropout = c.initial_states = false;
  expect_persistent_matches_standard<float>(c);
}

TEST(RecurrentPersistentGpu, Float64MatchesToRoundOff) {
  CUSEQ_REQUIRE_GPU();
  PersistentCase c;
  c.cell = RecurrentCell::gru;
  expect_persistent_matches_standard<double>(c);
}

// 200 grid barriers forward and 200 backward (60 emulated): a missing or
// misplaced barrier shows up as a wrong state long before the end.
TEST(RecurrentPersistentGpu, LongSequenceMatches) {
  CUSEQ_REQUIRE_GPU();
  PersistentCase c;
  c.steps = kEmulatedGpu ? 60 : 200, c.units = kManyBlockUnits, c.batch = 5;
  expect_persistent_matches_standard<float>(c);
}

TEST(RecurrentPersistentGpu, LayerOptionSelectsThePersistentKernel) {
  CUSEQ_REQUIRE_GPU();
  RecurrentOptions options;
  options.return_sequences = true;
  options.seed = 3;
  options.algorithm = RecurrentAlgorithm::standard;
  auto standard = make_recurrent("LSTM", 32, options);
  options.algorithm = RecurrentAlgorithm::persistent;
  auto persistent = make_recurrent("LSTM", 32, options);
  Generator g1(4), g2(4);
  standard->build(Shape{6, 5}, DType::float32, kGpu, g1);
  persistent->build(Shape{6, 5}, DType::float32, kGpu, g2);
  const Tensor x = random_tensor<float>({3, 6, 5}, 1, kGpu);
  ForwardContext context;
  const Tensor a = standard->forward(x, context);
  const Tensor b = persistent->forward(x, context);
  expect_all_near(b.to(Device::cpu()).to_vector<float>(), a.to(Device::cpu()).to_vector<float>(),
                  1e-4, "output");
  // A batch the persistent kernel cannot take proves the option reached the op.
  expect_error_mentions(
      [&] {
        persistent->forward(random_tensor<float>({17, 6, 5}, 2, kGpu), context);
      },
      {"LSTM forward", "persistent", "batch 17"});
}

TEST(RecurrentPersistentGpu, AutomaticPicksPersistentWhereMeasuredFasterElseStandard) {
  CUSEQ_REQUIRE_GPU();
  for (const std::int64_t batch : {5, 12}) {
    PersistentCase c;
    c.batch = batch;
    SCOPED_TRACE(describe(c));
    const Problem problem = make_problem<float>(c);
    const Outcome persistent = run(problem, RecurrentAlgorithm::persistent, kGpu);
    const Outcome standard = run(problem, RecurrentAlgorithm::standard, kGpu);
    ASSERT_NE(persistent.values, standard.values) << "the algorithms must differ in rounding";
    const Outcome automatic = run(problem, RecurrentAlgorithm::automatic, kGpu);
    EXPECT_EQ(automatic.values, batch <= 8 ? persistent.values : standard.values);
  }
}

TEST(RecurrentPersistentGpu, RecurrentKernelTooLargeForSharedMemoryIsAClearError) {
  CUSEQ_REQUIRE_GPU();
  // LSTM, 2048 units, float32: R is 64 MiB, more than the shared memory of
  // every SM of any current GPU together.
  PersistentCase c;
  c.units = 2048, c.batch = 1, c.steps = 1, c.masks = c.dropout = c.initial_states = false;
  Problem problem = make_problem<float>(c);
  expect_error_mentions([&] { run(problem, RecurrentAlgorithm::persistent, kGpu); },
                        {"LSTM forward", "persistent", "shared memory", "standard"});
}

}  // namespace
}  // namespace cuseq::testing
