// The pointwise math of one recurrent step, written once for the CUDA kernels
// (recurrent.cu) and their CPU twins (recurrent_cpu.cpp): one call handles one
// (sample, unit) pair of one step, for all of the cell's gates at once, so a
// step costs one kernel launch whatever the cell.
#pragma once

#include <cstdint>
#include <type_traits>

#include "cuseq/host_device.h"
#include "cuseq/ops.h"
#include "cuseq/recurrent_ops.h"
#include "kernels/pointwise_math.h"

namespace cuseq::detail {

CUSEQ_HOST_DEVICE int gate_count(RecurrentCell cell) {
  return cell == RecurrentCell::lstm ? 4 : (cell == RecurrentCell::gru ? 3 : 1);
}

// Values per unit that forward keeps for backward: LSTM i, f, c~, o; GRU z,
// r, h~ and (h R_h + b_h); SimpleRNN its output.
CUSEQ_HOST_DEVICE int saved_count(RecurrentCell cell) {
  return cell == RecurrentCell::simple_rnn ? 1 : 4;
}

// One forward step. Pointers are raw so the struct travels to the GPU by value.
template <class T>
struct StepForward {
  RecurrentCell cell;
  Activation activation, recurrent_activation;
  std::int64_t batch, units, steps;
  std::int64_t step;              // processing index: the output column
  std::int64_t time;              // input index: step, or steps-1-step with go_backwards
  const T* input_projection;      // [batch, steps, G*units]: x W, row sample*steps + time
  const T* recurrent_projection;  // [batch, G*units]: (h_prev * recurrent_mask) R
  const T* bias;                  // [G*units] (GRU: the input row), or null
  const T* recurrent_bias;        // GRU's recurrent row [3*units], or null
  const T* step_mask;             // [batch, steps], or null
  const T* recurrent_mask;        // [batch, units], or null
  const T* h_prev;
  const T* c_prev;  // LSTM
  T* h;
  T* c;         // LSTM
  T* h_masked;  // h * recurrent_mask, the next recurrent GEMM's input (with a mask)
  T* saved;     // [batch, S*units]
  T* sequence;  // [batch, steps, units], or null without return_sequences
};

template <class T>
CUSEQ_HOST_DEVICE bool step_is_real(const T* step_mask, std::int64_t sample, std::int64_t steps,
                                    std::int64_t time) {
  return step_mask == nullptr || step_mask[sample * steps + time] != T(0);
}

// Gate g's pre-activation: x W + h R + biases (GRU's recurrent row too).
template <class T>
CUSEQ_HOST_DEVICE T gate_input(const StepForward<T>& s, const T* x_row, const T* h_row, int g,
                               std::int64_t unit) {
  const std::int64_t k = g * s.units + unit;
  return x_row[k] + h_row[k] + (s.bias ? s.bias[k] : T(0)) +
         (s.recurrent_bias ? s.recurrent_bias[k] : T(0));
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
  const T* x_row = s.input_projection + (sample * s.steps + s.time) * width;
  const T* h_row = s.recurrent_projection + sample * width;
  T* saved = s.saved + sample * saved_count(cell) * H + unit;
  const T h_prev = s.h_prev[index];
  T h, c = T(0);
  if (cell == RecurrentCell::lstm) {
    const T i = activate<kRecurrent>(gate_input(s, x_row, h_row, 0, unit));
    const T f = activate<kRecurrent>(gate_input(s, x_row, h_row, 1, unit));
    const T g = activate<kActivation>(gate_input(s, x_row, h_row, 2, unit));
    const T o = activate<kRecurrent>(gate_input(s, x_row, h_row, 3, unit));
    c = f * s.c_prev[index] + i * g;
    h = o * activate<kActivation>(c);
    saved[0] = i, saved[H] = f, saved[2 * H] = g, saved[3 * H] = o;
  } else if (cell == RecurrentCell::gru) {
    const T z = activate<kRecurrent>(gate_input(s, x_row, h_row, 0, unit));
    const T r = activate<kRecurrent>(gate_input(s, x_row, h_row, 1, unit));
    // reset_after: r scales the recurrent part, recurrent bias included.
    const T recurrent_h =
        h_row[2 * H + unit] + (s.recurrent_bias ? s.recurrent_bias[2 * H + unit] : T(0));
    const T x_h = x_row[2 * H + unit] + (s.bias ? s.bias[2 * H + unit] : T(0));
    const T candidate = activate<kActivation>(x_h + r * recurrent_h);
    h = z * h_prev + (T(1) - z) * candidate;
    saved[0] = z, saved[H] = r, saved[2 * H] = candidate, saved[3 * H] = recurrent_h;
  } else {
    h = activate<kActivation>(gate_input(s, x_row, h_row, 0, unit));
    saved[0] = h;
  }
  // A padded step keeps the state and outputs zeros.
  if (!real) {
    h = h_prev;
    if (cell == RecurrentCell::lstm) c = s.c_prev[index];
  }
  s.h[index] = h;
  if (cell == RecurrentCell::lstm) s.c[index] = c;
  if (s.recurrent_mask) s.h_masked[index] = h * s.recurrent_mask[index];
  if (s.sequence) s.sequence[(sample * s.steps + s.step) * H + unit] = real ? h : T(0);
}

// One backward step, the mirror of StepForward.
template <class T>
struct StepBackward {
  RecurrentCell cell;
  Activation activation, recurrent_activation;
  std::int64_t batch, units, steps, step, time;
  const T* saved;  // [batch, S*units] of this step
  const T* h_prev;
  const T* c_prev;  // LSTM
  const T* c;       // LSTM: this step's carry, for activation(c)
  const T* step_mask;
  const T* d_sequence;      // [batch, steps, units], or null
  const T* d_recurrent;     // [batch, units]: d(next step's recurrent GEMM input), or null
  const T* recurrent_mask;  // or null
  T* d_carry;  // in: dL/dh reaching this step directly; out: the part going straight to h_prev
  T* d_cell;   // LSTM, in: dL/dc; out: dL/dc_prev
  T* d_gates_input;      // [batch, steps, G*units], row sample*steps + time: d(x W)
  T* d_gates_recurrent;  // [batch, G*units]: d(h R)
};

template <Activation kActivation, Activation kRecurrent, class T, class Cell>
CUSEQ_HOST_DEVICE void backward_step_at(const StepBackward<T>& s, std::int64_t sample,
                                        std::int64_t unit, Cell cell, bool real) {
  const std::int64_t H = s.units, index = sample * H + unit;
  const int gates = gate_count(cell);
  T* dx = s.d_gates_input + (sample * s.steps + s.time) * gates * H + unit;
  T* dh_gates = s.d_gates_recurrent + sample * gates * H + unit;

  T dh = s.d_carry[index];
  if (s.d_recurrent)
    dh += s.recurrent_mask ? s.d_recurrent[index] * s.recurrent_mask[index] : s.d_recurrent[index];
  if (s.d_sequence && real) dh += s.d_sequence[(sample * s.steps + s.step) * H + unit];
  if (!real) {  // the state passed through unchanged
    for (int g = 0; g < gates; ++g) dx[g * H] = T(0), dh_gates[g * H] = T(0);
    s.d_carry[index] = dh;
    return;
  }
  const T* saved = s.saved + sample * saved_count(cell) * H + unit;
  if (cell == RecurrentCell::lstm) {
    const T i = saved[0], fg = saved[H], g = saved[2 * H], o = saved[3 * H];
    const T squashed_c = activate<kActivation>(s.c[index]);
    const T dc =
        s.d_cell[index] + dh * o * activation_derivative_from_output<kActivation>(squashed_c);
    dx[0] = dc * g * activation_derivative_from_output<kRecurrent>(i);
    dx[H] = dc * s.c_prev[index] * activation_derivative_from_output<kRecurrent>(fg);
    dx[2 * H] = dc * i * activation_derivative_from_output<kActivation>(g);
    dx[3 * H] = dh * squashed_c * activation_derivative_from_output<kRecurrent>(o);
    for (int k = 0; k < 4; ++k) dh_gates[k * H] = dx[k * H];
    s.d_cell[index] = dc * fg;
    s.d_carry[index] = T(0);
  } else if (cell == RecurrentCell::gru) {
    const T z = saved[0], r = saved[H], candidate = saved[2 * H], recurrent_h = saved[3 * H];
    const T d_candidate =
        dh * (T(1) - z) * activation_derivative_from_output<kActivation>(candidate);
    const T dz =
        dh * (s.h_prev[index] - candidate) * activation_derivative_from_output<kRecurrent>(z);
    const T dr = d_candidate * recurrent_h * activation_derivative_from_output<kRecurrent>(r);
    dx[0] = dz, dx[H] = dr, dx[2 * H] = d_candidate;
    dh_gates[0] = dz, dh_gates[H] = dr, dh_gates[2 * H] = d_candidate * r;
    s.d_carry[index] = dh * z;
  } else {
    const T d_pre = dh * activation_derivative_from_output<kActivation>(saved[0]);
    dx[0] = d_pre;
    dh_gates[0] = d_pre;
    s.d_carry[index] = T(0);
  }
}

}  // namespace cuseq::detail
