// The CPU persistent recurrent loop, the twin of recurrent_persistent.cu: one
// parallel region (parallel_team) runs every step of a forward or backward
// pass. Each thread owns a slice of units, whole blocks of kPanelWidth, with
// all G gates of them; it packs its slice of recurrent_kernel once per pass
// into panels (recurrent_panels_cpu.h) that stay in its cache, and then at
// every step runs the GEMM of its slice and, straight after, the cell math of
// its units (recurrent.h's step bodies, the same as the standard loop's), and
// meets the others at one barrier:
//   forward step:  h R for the G*kPanelWidth columns of each block it owns,
//                  the cell of its units (writes h of its units), barrier
//                  (the next step's GEMM reads every unit's h);
//   backward step: the cell of its units (writes d(h R) of its units' gates),
//                  barrier (the GEMM reads every gate's d(h R)), then
//                  d(h R) R^T for its units: the rows of R it owns, packed
//                  as the columns of panels.
// The slices differ with the thread count, the sums do not (see
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

// The blocks of kPanelWidth units that member `member` of `team` owns.
struct Slice {
  std::int64_t first_block, end_block, first_unit, end_unit;
};

template <class T>
Slice slice_of(int member, int team, std::int64_t units) {
  constexpr std::int64_t kWidth = kPanelWidth<T>;
  const std::int64_t blocks = (units + kWidth - 1) / kWidth;
  const std::int64_t first = blocks * member / team, end = blocks * (member + 1) / team;
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

// The team for a step GEMM [batch, depth] x [depth, width]: at most one
// thread per block of units, and per kMultiplyAddsPerThread.
template <class T>
int team_for(std::int64_t units, std::int64_t batch, std::int64_t depth, std::int64_t width) {
  const std::int64_t blocks = (units + kPanelWidth<T> - 1) / kPanelWidth<T>;
  const std::int64_t worth =
      std::max<std::int64_t>(1, batch * depth * width / kMultiplyAddsPerThread);
  return static_cast<int>(std::min({blocks, worth, std::int64_t{parallel_width()}}));
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

// Calls body(Cell{}, sample, unit, real) for the units of `slice` of every
// sample, one SIMD loop per block of kPanelWidth units: a unit's block, and so the
// code that computes it (vector body or remainder), is the same whatever
// slice holds it, which keeps the results independent of the thread count.
// `body` is a private copy: the compiler then knows that the stores do not
// move its pointers, and vectorizes the loop.
template <class T, class Cell, class Body>
[[gnu::flatten]] void for_each_unit_of_slice(std::int64_t batch, const Slice slice,
                                             const Body body) {
  constexpr std::int64_t kWidth = kPanelWidth<T>;
  for (std::int64_t sample = 0; sample < batch; ++sample) {
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

template <class T, class Cell, Activation kActivation, Activation kRecurrent>
void forward_all_steps(const StepForward<T>& first, const ForwardBuffers<T>& buffers,
                       const T* recurrent_kernel) {
  constexpr int kGates = Cell::kGates;
  const std::int64_t batch = first.batch, units = first.units, plane = batch * units;
  const std::unique_ptr<T[]> panels = panels_for<T>(units, units, kGates);
  parallel_team(team_for<T>(units, batch, units, kGates * units), [&](TeamMember& member) {
    const Slice slice = slice_of<T>(member.index, member.team, units);
    for (std::int64_t j = slice.first_block; j < slice.end_block; ++j) {
      pack_gate_panel(recurrent_kernel, units, units, kGates, j * kPanelWidth<T>,
                      panels.get() + j * kGates * units * kPanelWidth<T>);
    }
    const std::unique_ptr<T[]> sums(new T[batch * kGates * kPanelWidth<T>]);
    ForwardStepBody<T, kActivation, kRecurrent> cells{first};
    SliceProduct<T, kGates> product{nullptr,        batch,        units,
                                    units,          panels.get(), buffers.recurrent_projection,
                                    kGates * units, units};
    for (std::int64_t step = 0; step < first.steps; ++step) {
      set_forward_step(cells.step, buffers, step);
      product.a = buffers.recurrent_inputs + step * plane;
      multiply_slice_vectorized(product, slice, sums.get());
      run_vectorized([&] { for_each_unit_of_slice<T, Cell>(batch, slice, cells); });
      member.barrier.arrive_and_wait();
    }
  });
}

template <class T, class Cell, Activation kActivation, Activation kRecurrent>
void backward_all_steps(const StepBackward<T>& first, const BackwardBuffers<T>& buffers,
                        const T* recurrent_kernel) {
  constexpr int kGates = Cell::kGates;
  const std::int64_t batch = first.batch, units = first.units, width = kGates * units;
  const std::unique_ptr<T[]> panels = panels_for<T>(units, width, 1);
  parallel_team(team_for<T>(units, batch, width, units), [&](TeamMember& member) {
    const Slice slice = slice_of<T>(member.index, member.team, units);
    for (std::int64_t j = slice.first_block; j < slice.end_block; ++j) {
      pack_transposed_panel(recurrent_kernel, units, width, j * kPanelWidth<T>,
                            panels.get() + j * width * kPanelWidth<T>);
    }
    const std::unique_ptr<T[]> sums(new T[batch * kPanelWidth<T>]);
    BackwardStepBody<T, kActivation, kRecurrent> cells{first};
    SliceProduct<T, 1> product{nullptr, batch, width, width, panels.get(), buffers.d_recurrent,
                               units,   units};
    for (std::int64_t step = first.steps - 1; step >= 0; --step) {
      set_backward_step(cells.step, buffers, step);
      run_vectorized([&] { for_each_unit_of_slice<T, Cell>(batch, slice, cells); });
      member.barrier.arrive_and_wait();
      // d(this step's recurrent GEMM input) = d(h R) R^T, for this slice's units.
      product.a = cells.step.d_gates_recurrent;
      multiply_slice_vectorized(product, slice, sums.get());
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
