// One (sample, unit) of one recurrent step for any cell: forward_step_at and
// backward_step_at do what every cell shares (rows, padded steps, masks, the
// output sequence) and hand the cell's own math to its file: lstm_cell.h,
// gru_cell.h, simple_rnn_cell.h. Written once for the CUDA kernels
// (recurrent.cu, recurrent_persistent.cu) and their CPU twins
// (recurrent_cpu.cpp, recurrent_persistent_cpu.cpp): one call handles all of
// a cell's gates, so a step costs one kernel launch whatever the cell.
// A new cell: its file, then a line in gate_count, saved_count and the two
// dispatches below.
#pragma once

#include <cstdint>
#include <type_traits>

#include "kernels/gru_cell.h"
#include "kernels/lstm_cell.h"
#include "kernels/recurrent_step.h"
#include "kernels/simple_rnn_cell.h"

namespace cuseq::detail {

CUSEQ_HOST_DEVICE int gate_count(RecurrentCell cell) {
  return cell == RecurrentCell::lstm
             ? LstmCell::kGates
             : (cell == RecurrentCell::gru ? GruCell::kGates : SimpleRnnCell::kGates);
}

// Values per unit that forward keeps for backward (each cell's file says which).
CUSEQ_HOST_DEVICE int saved_count(RecurrentCell cell) {
  return cell == RecurrentCell::lstm
             ? LstmCell::kSaved
             : (cell == RecurrentCell::gru ? GruCell::kSaved : SimpleRnnCell::kSaved);
}

// A cell known when compiling: the CPU walk passes one as the `cell` argument
// of forward_step_at / backward_step_at, so the branches on the cell fold away
// and its loop over units vectorizes; the CUDA walk passes the runtime value.
template <RecurrentCell kCell>
using CellConstant = std::integral_constant<RecurrentCell, kCell>;

// The activations are template arguments (see pointwise_math.h): no branch on
// them in the kernels. `cell` is s.cell, as a RecurrentCell or a CellConstant;
// `real` is step_is_real() of the sample, found once per sample by the walk.
template <Activation kActivation, Activation kRecurrent, class T, class Cell>
CUSEQ_HOST_DEVICE void forward_step_at(const StepForward<T>& s, std::int64_t sample,
                                       std::int64_t unit, Cell cell, bool real) {
  const std::int64_t H = s.units, index = sample * H + unit;
  const std::int64_t width = gate_count(cell) * H;
  const CellForwardAt<T> at{s.input_projection + (sample * s.steps + s.time) * width,
                            s.recurrent_projection + sample * width,
                            s.saved + sample * saved_count(cell) * H + unit, unit, index};
  const T h_prev = s.h_prev[index];
  T h, c = T(0);
  if (cell == RecurrentCell::lstm) {
    LstmCell::forward<kActivation, kRecurrent>(s, at, h, c);
  } else if (cell == RecurrentCell::gru) {
    GruCell::forward<kActivation, kRecurrent>(s, at, h, c);
  } else {
    SimpleRnnCell::forward<kActivation, kRecurrent>(s, at, h, c);
  }
  // A padded step keeps the state and outputs zeros.
  if (!real) {
    h = h_prev;
    if (cell == RecurrentCell::lstm) c = s.c_prev[index];
  }
  s.h[index] = h;
  if (cell == RecurrentCell::lstm) s.c[index] = c;
  // Unconditional (see StepForward): without a mask h_masked is h, times ones.
  s.h_masked[index] = h * s.recurrent_mask[index];
  s.sequence[sample * s.sequence_strides.sample + s.step * s.sequence_strides.step + unit] =
      real ? h : T(0);
}

template <Activation kActivation, Activation kRecurrent, class T, class Cell>
CUSEQ_HOST_DEVICE void backward_step_at(const StepBackward<T>& s, std::int64_t sample,
                                        std::int64_t unit, Cell cell, bool real) {
  const std::int64_t H = s.units, index = sample * H + unit;
  const int gates = gate_count(cell);
  T* dx = s.d_gates_input + (sample * s.steps + s.time) * gates * H + unit;
  T* dh_gates = s.d_gates_recurrent + sample * gates * H + unit;

  T dh = s.d_carry[index];
  if (s.d_recurrent) dh += s.d_recurrent[index] * s.recurrent_mask[index];
  if (real)
    dh +=
        s.d_sequence[sample * s.sequence_strides.sample + s.step * s.sequence_strides.step + unit];
  if (!real) {  // the state passed through unchanged
    for (int g = 0; g < gates; ++g) dx[g * H] = T(0), dh_gates[g * H] = T(0);
    s.d_carry[index] = dh;
    return;
  }
  const CellBackwardAt<T> at{s.saved + sample * saved_count(cell) * H + unit, dx, dh_gates, index};
  if (cell == RecurrentCell::lstm) {
    LstmCell::backward<kActivation, kRecurrent>(s, at, dh);
  } else if (cell == RecurrentCell::gru) {
    GruCell::backward<kActivation, kRecurrent>(s, at, dh);
  } else {
    SimpleRnnCell::backward<kActivation, kRecurrent>(s, at, dh);
  }
}

}  // namespace cuseq::detail
