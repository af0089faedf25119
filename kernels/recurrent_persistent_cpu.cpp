// The CPU persistent recurrent loop, the twin of recurrent_persistent.cu: one
// parallel region (parallel_team) runs every step of a forward or backward
// pass. The team packs recurrent_kernel once per pass into panels
// (recurrent_panels_cpu.h). Each thread owns a share: a group of samples,
// which need nothing from the other samples at any step, and a slice of
// units, whole blocks of kPanelWidth with all G gates of them, which do. At
// every step it runs the GEMM of its share and, straight after, the cell
// math of its share (recurrent.h's step bodies, the same as the standard
// loop's); when the units are split it meets the others at one barrier:
//   forward step:  h R for the G*kPanelWidth columns of each block it owns,
//                  the cell of its share (writes h of its units), barrier
//                  (the next step's GEMM reads every unit's h);
//   backward step: the cell of its units (writes d(h R) of its units' gates),
//                  barrier (the GEMM reads every gate's d(h R)), then
//                  d(h R) R^T for its units: the rows of R it owns, packed
//                  as the columns of panels.
// The shares differ with the thread count, the sums do not (see
// recurrent_panels_cpu.h), so the results are the same for any thread count.
#include <algorithm>
#include <cstring>
#include <memory>

#include "core/detail/thread_pool.h"
#include "kernels/cpu_isa.h"
#include "kernels/recurrent_panels_cpu.h"
#include "kernels/recurrent_persistent.h"

namespace cuseq::detail {
namespace {

// Rows of the left operand per panel_product. With AVX-512: the largest
// power of two (they divide the usual batches: a remainder row block costs
// as much as a full one) whose accumulators, kRows x kGroups zmm registers,
// take at most 24 of the 32, leaving room for the panel's columns and the
// broadcast. The GRU's 3 gates take 8 rows (5 before, and a 3-row remainder
// for batch 8: the panel was read twice per 8 rows and the remainder's 9
// accumulators waited on their FMA latency, 1.3x OpenBLAS's time per
// multiply-add); the LSTM's 4 gates take 4. Without AVX-512 (not measured
// on this VM, so as before): 12 of the 16 ymm or xmm registers. Never more
// than 8 rows.
constexpr int largest_power_of_two_at_most(int n) {
  return n < 2 ? 1 : 2 * largest_power_of_two_at_most(n / 2);
}

template <int kGroups, int kVectorBytes>
constexpr int kProductRows =
    kVectorBytes == 64 ? std::min(8, largest_power_of_two_at_most(24 / kGroups))
                       : std::max(1, std::min(8, 12 / (kGroups * (kPanelBytes / kVectorBytes))));

// The blocks of kPanelWidth units [first_block, end_block) of a share.
struct Slice {
  std::int64_t first_block, end_block, first_unit, end_unit;
};

// Part `part` of `parts` of the blocks of kPanelWidth units of `units`.
template <class T>
Slice slice_of(int part, int parts, std::int64_t units) {
  constexpr std::int64_t kWidth = kPanelWidth<T>;
  const std::int64_t blocks = (units + kWidth - 1) / kWidth;
  const std::int64_t first = blocks * part / parts, end = blocks * (part + 1) / parts;
  return {first, end, first * kWidth, std::min(units, end * kWidth)};
}

// Multiply-adds of a step's GEMM per thread below which one more thread
// costs more at the barrier than it saves. On the 2-core VM (AVX-512, the
// spin-then-sleep TeamBarrier) two threads paid for every step GEMM
// measured, down to the GRU(32) of the epoch benchmark at batch 32 (98 k a
// step; Bidirectional(GRU(32)) epoch 1.15x faster, LSTM(32) 1.17x, GRU
// forward B8 H128 T50 1.28x, B32 H128 1.40x, than with one thread per 1 M,
// the earlier threshold); below that it is untested, so a thread still
// needs 32 k.
constexpr std::int64_t kMultiplyAddsPerThread = std::int64_t{1} << 15;

// How a team shares every step: sample_groups x unit_groups members, each
// with the samples of its sample group and the units of its unit group.
// Samples are independent all the way through the time loop, units are not
// (every unit's h feeds every gate of the next step), so members meet at a
// barrier every step only when the units are split.
struct TeamShape {
  int sample_groups, unit_groups;
  int size() const { return sample_groups * unit_groups; }
};

// The samples and units of one member.
struct Share {
  std::int64_t first_sample, end_sample;
  Slice slice;
  std::int64_t samples() const { return end_sample - first_sample; }
};

template <class T>
Share share_of(const TeamMember& member, const TeamShape& shape, std::int64_t batch,
               std::int64_t units) {
  if (member.index >= shape.size()) return {0, 0, {0, 0, 0, 0}};
  const int sample_group = member.index / shape.unit_groups;
  const int unit_group = member.index % shape.unit_groups;
  return {batch * sample_group / shape.sample_groups,
          batch * (sample_group + 1) / shape.sample_groups,
          slice_of<T>(unit_group, shape.unit_groups, units)};
}

// Samples a member takes at least when the team splits the batch: the
// LSTM's rows per panel pass with AVX-512.
constexpr std::int64_t kMinSamplesPerMember = 4;

// The team a step GEMM [batch, depth] x [depth, width] is worth: one thread
// per kMultiplyAddsPerThread at most.
inline int team_worth(std::int64_t batch, std::int64_t depth, std::int64_t width) {
  const std::int64_t worth =
      std::max<std::int64_t>(1, batch * depth * width / kMultiplyAddsPerThread);
  return static_cast<int>(std::min(worth, std::int64_t{parallel_width()}));
}

// How the `team` that parallel_team gave (fewer threads than wanted when
// another loop holds the pool) shares `batch` samples of `units` units:
// samples first, the units only among the threads left. On the 2-core VM
// (AVX-512) two sample groups beat two unit groups on every LSTM and GRU
// forward of the issue-15 grid, down to batch 8 (4 samples each) and up to
// 512 units, whose 4 MiB of LSTM weights every member then streams from the
// L3 cache at each step (bench/results/cpu-vm/sample-split): no barrier at
// each step, and each member's h stays in its own cache. Members beyond
// sample_groups x unit_groups have no share.
template <class T>
TeamShape shape_of(int team, std::int64_t batch, std::int64_t units) {
  const std::int64_t blocks = (units + kPanelWidth<T> - 1) / kPanelWidth<T>;
  const std::int64_t sample_groups =
      std::clamp<std::int64_t>(batch / kMinSamplesPerMember, 1, team);
  const std::int64_t unit_groups = std::min(blocks, team / sample_groups);
  return {static_cast<int>(sample_groups), static_cast<int>(unit_groups)};
}

// out[row, column of block j] = sum over k of a[row, k] * panel j's column,
// for every row of `a` [rows, depth] (leading dimension lda) and the blocks
// of `slice`; panel j's group g goes to columns g * units + j * kPanelWidth + w
// of out [rows, ldo].
template <class T, int kGroups>
struct SliceProduct {
  const T* a;
  std::int64_t rows, lda, depth;
  const T* panels;  // kGroups * depth * kPanelWidth values per block
  T* out;
  std::int64_t ldo, units;
};

template <class T, int kGroups, int kVectorBytes>
[[gnu::always_inline]] inline void multiply_slice(const SliceProduct<T, kGroups>& p,
                                                  const Slice& slice, T* sums) {
  constexpr int kWidth = kPanelWidth<T>;
  constexpr int kRows = kProductRows<kGroups, kVectorBytes>;
  constexpr std::int64_t kRowSums = kGroups * kWidth;
  for (std::int64_t j = slice.first_block; j < slice.end_block; ++j) {
    const T* panel = p.panels + j * kGroups * p.depth * kWidth;
    for (std::int64_t k = 0; k < p.depth; k += kPanelDepthBlock<kGroups>) {
      const std::int64_t k_end = std::min(p.depth, k + kPanelDepthBlock<kGroups>);
      for (std::int64_t row = 0; row < p.rows; row += kRows) {
        panel_product_rows<T, kGroups, kRows, kVectorBytes>(
            std::min<std::int64_t>(kRows, p.rows - row), p.a + row * p.lda, p.lda, k, k_end, panel,
            k == 0, sums + row * kRowSums);
      }
    }
    const std::int64_t first_unit = j * kWidth;
    const std::int64_t valid = std::min<std::int64_t>(kWidth, p.units - first_unit);
    // A whole block is one 64-byte store: the cell math reads it back at
    // once with one vector load, which a CPU serves from its store buffer
    // only when the store was as wide (16 scalar stores made that load wait
    // for all of them to retire: half the cell's time).
    for (std::int64_t row = 0; row < p.rows; ++row) {
      for (int g = 0; g < kGroups; ++g) {
        const T* from = sums + row * kRowSums + g * kWidth;
        T* to = p.out + row * p.ldo + g * p.units + first_unit;
        if (valid == kWidth) {
          std::memcpy(to, from, kPanelBytes);
        } else {
          for (std::int64_t w = 0; w < valid; ++w) to[w] = from[w];
        }
      }
    }
  }
}

// One template per (T, kGroups), whatever the cell's activations: the
// product's copies for each instruction set are compiled once.
// `sums`: rows * kGroups * kPanelWidth values of scratch.
template <class T, int kGroups>
void multiply_slice_vectorized(const SliceProduct<T, kGroups>& product, const Slice& slice,
                               T* sums) {
  switch (cpu_level()) {
    case CpuLevel::avx512:
      return run_vectorized([&] { multiply_slice<T, kGroups, 64>(product, slice, sums); });
    case CpuLevel::avx2:
      return run_vectorized([&] { multiply_slice<T, kGroups, 32>(product, slice, sums); });
    case CpuLevel::baseline:
      return run_vectorized([&] { multiply_slice<T, kGroups, 16>(product, slice, sums); });
  }
}

// Calls body(Cell{}, sample, unit, real) for the samples and units of
// `share`, one SIMD loop per block of kPanelWidth units: a unit's block, and so the
// code that computes it (vector body or remainder), is the same whatever
// slice holds it, which keeps the results independent of the thread count.
// `body` is a private copy: the compiler then knows that the stores do not
// move its pointers, and vectorizes the loop.
template <class T, class Cell, class Body>
[[gnu::flatten]] void for_each_unit_of_share(const Share share, const Body body) {
  constexpr std::int64_t kWidth = kPanelWidth<T>;
  const Slice slice = share.slice;
  for (std::int64_t sample = share.first_sample; sample < share.end_sample; ++sample) {
    const bool real = body.is_real(sample);
    for (std::int64_t first = slice.first_unit; first < slice.end_unit; first += kWidth) {
      const std::int64_t end = std::min(slice.end_unit, first + kWidth);
      if (real) {
#pragma omp simd
        for (std::int64_t unit = first; unit < end; ++unit) body(Cell{}, sample, unit, true);
      } else {
#pragma omp simd
        for (std::int64_t unit = first; unit < end; ++unit) body(Cell{}, sample, unit, false);
      }
    }
  }
}

template <class T>
std::unique_ptr<T[]> panels_for(std::int64_t units, std::int64_t depth, int groups) {
  const std::int64_t blocks = (units + kPanelWidth<T> - 1) / kPanelWidth<T>;
  return std::unique_ptr<T[]>(new T[blocks * groups * depth * kPanelWidth<T>]);
}

// Packs this member's part of the panels; the others read them after the
// team's first barrier.
template <class T, class Pack>
void pack_part(const TeamMember& member, std::int64_t units, const Pack& pack) {
  const Slice part = slice_of<T>(member.index, member.team, units);
  for (std::int64_t j = part.first_block; j < part.end_block; ++j) pack(j);
  member.barrier.arrive_and_wait();
}

template <class T, class Cell, Activation kActivation, Activation kRecurrent>
void forward_all_steps(const StepForward<T>& first, const ForwardBuffers<T>& buffers,
                       const T* recurrent_kernel) {
  constexpr int kGates = Cell::kGates;
  const std::int64_t batch = first.batch, units = first.units, plane = batch * units;
  const std::unique_ptr<T[]> panels = panels_for<T>(units, units, kGates);
  const int wanted = shape_of<T>(team_worth(batch, units, kGates * units), batch, units).size();
  parallel_team(wanted, [&](TeamMember& member) {
    const TeamShape shape = shape_of<T>(member.team, batch, units);
    pack_part<T>(member, units, [&](std::int64_t j) {
      pack_gate_panel(recurrent_kernel, units, units, kGates, j * kPanelWidth<T>,
                      panels.get() + j * kGates * units * kPanelWidth<T>);
    });
    const Share share = share_of<T>(member, shape, batch, units);
    const std::unique_ptr<T[]> sums(new T[share.samples() * kGates * kPanelWidth<T>]);
    ForwardStepBody<T, kActivation, kRecurrent> cells{first};
    SliceProduct<T, kGates> product{
        nullptr,        share.samples(),
        units,          units,
        panels.get(),   buffers.recurrent_projection + share.first_sample * kGates * units,
        kGates * units, units};
    for (std::int64_t step = 0; step < first.steps; ++step) {
      set_forward_step(cells.step, buffers, step);
      product.a = buffers.recurrent_inputs + step * plane + share.first_sample * units;
      multiply_slice_vectorized(product, share.slice, sums.get());
      run_vectorized([&] { for_each_unit_of_share<T, Cell>(share, cells); });
      if (shape.unit_groups > 1) member.barrier.arrive_and_wait();
    }
  });
}

template <class T, class Cell, Activation kActivation, Activation kRecurrent>
void backward_all_steps(const StepBackward<T>& first, const BackwardBuffers<T>& buffers,
                        const T* recurrent_kernel) {
  constexpr int kGates = Cell::kGates;
  const std::int64_t batch = first.batch, units = first.units, width = kGates * units;
  const std::unique_ptr<T[]> panels = panels_for<T>(units, width, 1);
  const int wanted = shape_of<T>(team_worth(batch, width, units), batch, units).size();
  parallel_team(wanted, [&](TeamMember& member) {
    const TeamShape shape = shape_of<T>(member.team, batch, units);
    pack_part<T>(member, units, [&](std::int64_t j) {
      pack_transposed_panel(recurrent_kernel, units, width, j * kPanelWidth<T>,
                            panels.get() + j * width * kPanelWidth<T>);
    });
    const Share share = share_of<T>(member, shape, batch, units);
    const std::unique_ptr<T[]> sums(new T[share.samples() * kPanelWidth<T>]);
    BackwardStepBody<T, kActivation, kRecurrent> cells{first};
    SliceProduct<T, 1> product{nullptr,      share.samples(),
                               width,        width,
                               panels.get(), buffers.d_recurrent + share.first_sample * units,
                               units,        units};
    for (std::int64_t step = first.steps - 1; step >= 0; --step) {
      set_backward_step(cells.step, buffers, step);
      run_vectorized([&] { for_each_unit_of_share<T, Cell>(share, cells); });
      if (shape.unit_groups > 1) member.barrier.arrive_and_wait();
      // d(this step's recurrent GEMM input) = d(h R) R^T, for this share.
      product.a = cells.step.d_gates_recurrent + share.first_sample * width;
      multiply_slice_vectorized(product, share.slice, sums.get());
    }
  });
}

// Calls body(the cell's struct, activation constant, recurrent activation constant).
template <class Body>
void with_cell_constants(RecurrentCell cell, Activation activation, Activation recurrent,
                         const Body& body) {
  with_cell_activations(activation, recurrent,
                        [&](auto a, auto r) { visit_cell(cell, [&](auto c) { body(c, a, r); }); });
}

}  // namespace

template <>
std::string RecurrentPersistentKernels<Cpu>::ineligibility(const PersistentProblem&) {
  return "";
}

template <>
template <class T>
void RecurrentPersistentKernels<Cpu>::forward(const StepForward<T>& first,
                                              const ForwardBuffers<T>& buffers,
                                              const T* recurrent_kernel) {
  with_cell_constants(
      first.cell, first.activation, first.recurrent_activation, [&](auto cell, auto a, auto r) {
        forward_all_steps<T, decltype(cell), decltype(a)::value, decltype(r)::value>(
            first, buffers, recurrent_kernel);
      });
}

template <>
template <class T>
void RecurrentPersistentKernels<Cpu>::backward(const StepBackward<T>& first,
                                               const BackwardBuffers<T>& buffers,
                                               const T* recurrent_kernel) {
  with_cell_constants(
      first.cell, first.activation, first.recurrent_activation, [&](auto cell, auto a, auto r) {
        backward_all_steps<T, decltype(cell), decltype(a)::value, decltype(r)::value>(
            first, buffers, recurrent_kernel);
      });
}

template void RecurrentPersistentKernels<Cpu>::forward<float>(const StepForward<float>&,
                                                              const ForwardBuffers<float>&,
                                                              const float*);
template void RecurrentPersistentKernels<Cpu>::forward<double>(const StepForward<double>&,
                                                               const ForwardBuffers<double>&,
                                                               const double*);
template void RecurrentPersistentKernels<Cpu>::backward<float>(const StepBackward<float>&,
                                                               const BackwardBuffers<float>&,
                                                               const float*);
template void RecurrentPersistentKernels<Cpu>::backward<double>(const StepBackward<double>&,
                                                                const BackwardBuffers<double>&,
                                                                const double*);

}  // namespace cuseq::detail
