// The LSTM cell (Keras' LSTM): gates i, f, c~, o in that order, with
//   c = f * c_prev + i * c~,  h = o * activation(c).
// It saves i, f, c~ and o for backward. One call handles one (sample, unit).
#pragma once

#include "kernels/pointwise_math.h"
#include "kernels/recurrent_step.h"

namespace cuseq::detail {

struct LstmCell {
  static constexpr const char* kName = "LSTM";
  static constexpr int kGates = 4;
  static constexpr int kSaved = 4;
  static constexpr bool kCarriesCellState = true;
  static constexpr int kBiasRows = 1;

  template <Activation kActivation, Activation kRecurrent, class T>
  CUSEQ_HOST_DEVICE static void forward(const StepForward<T>& s, const CellForwardAt<T>& at, T& h,
                                        T& c) {
    const std::int64_t H = s.units;
    const T i = activate<kRecurrent>(gate_input(s, at.x_row, at.h_row, 0, at.unit));
    const T f = activate<kRecurrent>(gate_input(s, at.x_row, at.h_row, 1, at.unit));
    const T g = activate<kActivation>(gate_input(s, at.x_row, at.h_row, 2, at.unit));
    const T o = activate<kRecurrent>(gate_input(s, at.x_row, at.h_row, 3, at.unit));
    c = f * s.c_prev[at.index] + i * g;
    h = o * activate<kActivation>(c);
    at.saved[0] = i, at.saved[H] = f, at.saved[2 * H] = g, at.saved[3 * H] = o;
  }

  // dh: dL/dh of this step. Sets d(x W) and d(h R) of the gates, dL/dc_prev
  // (in s.d_cell) and the part of dL/dh_prev that bypasses the gates (none).
  template <Activation kActivation, Activation kRecurrent, class T>
  CUSEQ_HOST_DEVICE static void backward(const StepBackward<T>& s, const CellBackwardAt<T>& at,
                                         T dh) {
    const std::int64_t H = s.units, index = at.index;
    const T i = at.saved[0], fg = at.saved[H], g = at.saved[2 * H], o = at.saved[3 * H];
    const T squashed_c = activate<kActivation>(s.c[index]);
    const T dc =
        s.d_cell[index] + dh * o * activation_derivative_from_output<kActivation>(squashed_c);
    // d(x W) = d(h R) for every gate: both stored from the same registers (a
    // copy of dx read back what was just stored: a third of the step's time).
    const T d_gates[kGates] = {
        dc * g * activation_derivative_from_output<kRecurrent>(i),
        dc * s.c_prev[index] * activation_derivative_from_output<kRecurrent>(fg),
        dc * i * activation_derivative_from_output<kActivation>(g),
        dh * squashed_c * activation_derivative_from_output<kRecurrent>(o)};
    for (int k = 0; k < kGates; ++k) at.dx[k * H] = d_gates[k], at.dh_gates[k * H] = d_gates[k];
    s.d_cell[index] = dc * fg;
    s.d_carry[index] = T(0);
  }
};

}  // namespace cuseq::detail
