// The recurrent kernel family, one source for both backends: the registry of
// cells, what every cell's step shares, the fused step kernels' interface and
// their definition as body functors.
//
// A cell is one file of math (lstm_cell.h, gru_cell.h, simple_rnn_cell.h):
// its gate and saved-value counts, whether it carries a second state, its
// forward and backward step for one (sample, unit). visit_cell() below is the
// only place that lists the cells; every time loop reaches a cell through it:
//   the standard loop (recurrent_ops.cpp): one recurrent GEMM and one
//     RecurrentKernels::forward_step/backward_step a step, walked by
//     recurrent.cu (a grid-stride kernel) and recurrent_cpu.cpp (the thread
//     pool, one SIMD loop over units);
//   the persistent loops (recurrent_persistent.h): every step in one launch
//     or one thread team;
//   the stacked wavefront (stacked_recurrent_ops.cpp): the standard loop's
//     steps, ordered across layers.
// All of them call forward_step_at/backward_step_at, so the cell math and the
// handling of padded steps, masks and outputs are written once.
#pragma once

#include <cstdint>

#include "cuseq/tensor.h"
#include "kernels/backend.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/gru_cell.h"
#include "kernels/lstm_cell.h"
#include "kernels/recurrent_step.h"
#include "kernels/simple_rnn_cell.h"

namespace cuseq::detail {

// Calls f(the cell's struct) and returns what it returns. A new cell: its
// file, its RecurrentCell value (cuseq/recurrent_kinds.h) and one case here.
template <class F>
CUSEQ_HOST_DEVICE auto visit_cell(RecurrentCell cell, F&& f) -> decltype(f(LstmCell{})) {
  switch (cell) {
    case RecurrentCell::gru:
      return f(GruCell{});
    case RecurrentCell::simple_rnn:
      return f(SimpleRnnCell{});
    case RecurrentCell::lstm:
      break;
  }
  return f(LstmCell{});
}

CUSEQ_HOST_DEVICE int gate_count(RecurrentCell cell) {
  return visit_cell(cell, [](auto c) { return decltype(c)::kGates; });
}

// Values per unit that forward keeps for backward (each cell's file says which).
CUSEQ_HOST_DEVICE int saved_count(RecurrentCell cell) {
  return visit_cell(cell, [](auto c) { return decltype(c)::kSaved; });
}

// Whether the cell carries a second state c beside h (the LSTM).
CUSEQ_HOST_DEVICE bool carries_cell_state(RecurrentCell cell) {
  return visit_cell(cell, [](auto c) { return decltype(c)::kCarriesCellState; });
}

// Rows of the bias: 1, or 2 for a cell with a recurrent bias row (the GRU).
CUSEQ_HOST_DEVICE int bias_row_count(RecurrentCell cell) {
  return visit_cell(cell, [](auto c) { return decltype(c)::kBiasRows; });
}

// One (sample, unit) of one step of `Cell` (a cell struct); `real` is
// step_is_real() of the sample, found once per sample by the walk. The
// activations are template arguments (see pointwise_math.h): no branch on
// them in the kernels. The CPU walks pass the cell as a struct, so its loop
// over units holds one cell's math and vectorizes; the CUDA kernels pass the
// runtime RecurrentCell (the overloads below, a uniform branch).
template <Activation kActivation, Activation kRecurrent, class T, class Cell>
CUSEQ_HOST_DEVICE void forward_step_at(const StepForward<T>& s, std::int64_t sample,
                                       std::int64_t unit, Cell, bool real) {
  const std::int64_t H = s.units, index = sample * H + unit;
  const std::int64_t width = Cell::kGates * H;
  const CellForwardAt<T> at{s.input_projection + (sample * s.steps + s.time) * width,
                            s.recurrent_projection + sample * width,
                            s.saved + sample * Cell::kSaved * H + unit, unit, index};
  const T h_prev = s.h_prev[index];
  T h, c = T(0);
  Cell::template forward<kActivation, kRecurrent>(s, at, h, c);
  // A padded step keeps the state and outputs zeros.
  if (!real) {
    h = h_prev;
    if constexpr (Cell::kCarriesCellState) c = s.c_prev[index];
  }
  s.h[index] = h;
  if constexpr (Cell::kCarriesCellState) s.c[index] = c;
  // Unconditional (see StepForward): without a mask h_masked is h, times ones.
  s.h_masked[index] = h * s.recurrent_mask[index];
  s.sequence[sample * s.sequence_strides.sample + s.step * s.sequence_strides.step + unit] =
      real ? h : T(0);
}

template <Activation kActivation, Activation kRecurrent, class T, class Cell>
CUSEQ_HOST_DEVICE void backward_step_at(const StepBackward<T>& s, std::int64_t sample,
                                        std::int64_t unit, Cell, bool real) {
  const std::int64_t H = s.units, index = sample * H + unit;
  constexpr int kGates = Cell::kGates;
  T* dx = s.d_gates_input + (sample * s.steps + s.time) * kGates * H + unit;
  T* dh_gates = s.d_gates_recurrent + sample * kGates * H + unit;

  T dh = s.d_carry[index];
  if (s.d_recurrent) dh += s.d_recurrent[index] * s.recurrent_mask[index];
  if (real)
    dh +=
        s.d_sequence[sample * s.sequence_strides.sample + s.step * s.sequence_strides.step + unit];
  if (!real) {  // the state passed through unchanged
    for (int g = 0; g < kGates; ++g) dx[g * H] = T(0), dh_gates[g * H] = T(0);
    s.d_carry[index] = dh;
    return;
  }
  const CellBackwardAt<T> at{s.saved + sample * Cell::kSaved * H + unit, dx, dh_gates, index};
  Cell::template backward<kActivation, kRecurrent>(s, at, dh);
}

template <Activation kActivation, Activation kRecurrent, class T>
CUSEQ_HOST_DEVICE void forward_step_at(const StepForward<T>& s, std::int64_t sample,
                                       std::int64_t unit, RecurrentCell cell, bool real) {
  visit_cell(cell,
             [&](auto c) { forward_step_at<kActivation, kRecurrent>(s, sample, unit, c, real); });
}

template <Activation kActivation, Activation kRecurrent, class T>
CUSEQ_HOST_DEVICE void backward_step_at(const StepBackward<T>& s, std::int64_t sample,
                                        std::int64_t unit, RecurrentCell cell, bool real) {
  visit_cell(cell,
             [&](auto c) { backward_step_at<kActivation, kRecurrent>(s, sample, unit, c, real); });
}

// The step bodies every walk calls as body(cell, sample, unit, real), the
// cell a struct or a RecurrentCell as above, and body.is_real(sample).
template <class T, Activation kActivation, Activation kRecurrent>
struct ForwardStepBody {
  StepForward<T> step;
  template <class Cell>
  CUSEQ_HOST_DEVICE void operator()(Cell cell, std::int64_t sample, std::int64_t unit,
                                    bool real) const {
    forward_step_at<kActivation, kRecurrent>(step, sample, unit, cell, real);
  }
  CUSEQ_HOST_DEVICE bool is_real(std::int64_t sample) const {
    return step_is_real(step.step_mask, sample, step.steps, step.time);
  }
};

template <class T, Activation kActivation, Activation kRecurrent>
struct BackwardStepBody {
  StepBackward<T> step;
  template <class Cell>
  CUSEQ_HOST_DEVICE void operator()(Cell cell, std::int64_t sample, std::int64_t unit,
                                    bool real) const {
    backward_step_at<kActivation, kRecurrent>(step, sample, unit, cell, real);
  }
  CUSEQ_HOST_DEVICE bool is_real(std::int64_t sample) const {
    return step_is_real(step.step_mask, sample, step.steps, step.time);
  }
};

// Calls body(activation constant, recurrent activation constant).
template <class Body>
void with_cell_activations(Activation activation, Activation recurrent, Body&& body) {
  with_activation(activation,
                  [&](auto a) { with_activation(recurrent, [&](auto r) { body(a, r); }); });
}

// The fused pointwise kernels of the standard loop; the GEMMs around them go
// through ops::gemm (recurrent_ops.cpp).
template <class Where>
struct RecurrentKernels {
  // One step of one cell for every (sample, unit).
  template <class T>
  static void forward_step(const StepForward<T>& step);
  template <class T>
  static void backward_step(const StepBackward<T>& step);
  // out[sample, t, f] = x[sample, t, f] * mask[sample, f]: one dropout mask for every step.
  static void multiply_by_sample_mask(const Tensor& x, const Tensor& mask, Tensor& out);
};

// Instantiated only where the walkers are: recurrent_cpu.cpp and recurrent.cu.
extern template struct RecurrentKernels<Cpu>;
extern template void RecurrentKernels<Cpu>::forward_step<float>(const StepForward<float>&);
extern template void RecurrentKernels<Cpu>::forward_step<double>(const StepForward<double>&);
extern template void RecurrentKernels<Cpu>::backward_step<float>(const StepBackward<float>&);
extern template void RecurrentKernels<Cpu>::backward_step<double>(const StepBackward<double>&);
extern template struct RecurrentKernels<Cuda>;
extern template void RecurrentKernels<Cuda>::forward_step<float>(const StepForward<float>&);
extern template void RecurrentKernels<Cuda>::forward_step<double>(const StepForward<double>&);
extern template void RecurrentKernels<Cuda>::backward_step<float>(const StepBackward<float>&);
extern template void RecurrentKernels<Cuda>::backward_step<double>(const StepBackward<double>&);

template <class T>
struct SampleMaskBody {
  const T* x;
  const T* mask;
  std::int64_t steps, features;
  T* out;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    const std::int64_t sample = i / (steps * features), feature = i % features;
    out[i] = x[i] * mask[sample * features + feature];
  }
};

// for_each_sample_unit(Where{}, ...) and for_each_index(Where{}, ...) are
// found where these are instantiated, after the walkers.
template <class Where>
template <class T>
void RecurrentKernels<Where>::forward_step(const StepForward<T>& step) {
  with_cell_activations(step.activation, step.recurrent_activation, [&](auto a, auto r) {
    for_each_sample_unit(Where{}, step.cell, step.batch, step.units,
                         ForwardStepBody<T, decltype(a)::value, decltype(r)::value>{step});
  });
}

template <class Where>
template <class T>
void RecurrentKernels<Where>::backward_step(const StepBackward<T>& step) {
  with_cell_activations(step.activation, step.recurrent_activation, [&](auto a, auto r) {
    for_each_sample_unit(Where{}, step.cell, step.batch, step.units,
                         BackwardStepBody<T, decltype(a)::value, decltype(r)::value>{step});
  });
}

template <class Where>
void RecurrentKernels<Where>::multiply_by_sample_mask(const Tensor& x, const Tensor& mask,
                                                      Tensor& out) {
  dispatch_floating(x.dtype(), "recurrent input dropout", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(
        Where{}, x.numel(),
        SampleMaskBody<T>{x.data<T>(), mask.data<T>(), x.dim(1), x.dim(2), out.data<T>()});
  });
}

}  // namespace cuseq::detail
