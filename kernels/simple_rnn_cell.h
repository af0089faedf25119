// The SimpleRNN cell (Keras' SimpleRNN): one gate, h = activation(x W + h_prev R + b).
// It saves h for backward. One call handles one (sample, unit).
#pragma once

#include "kernels/pointwise_math.h"
#include "kernels/recurrent_step.h"

namespace cuseq::detail {

struct SimpleRnnCell {
  static constexpr const char* kName = "SimpleRNN";
  static constexpr int kGates = 1;
  static constexpr int kSaved = 1;
  static constexpr bool kCarriesCellState = false;
  static constexpr int kBiasRows = 1;

  template <Activation kActivation, Activation /*kRecurrent*/, class T>
  CUSEQ_HOST_DEVICE static void forward(const StepForward<T>& s, const CellForwardAt<T>& at, T& h,
                                        T& /*c*/) {
    h = activate<kActivation>(gate_input(s, at.x_row, at.h_row, 0, at.unit));
    at.saved[0] = h;
  }

  // dh: dL/dh of this step. Sets d(x W) and d(h R); nothing bypasses the gate.
  template <Activation kActivation, Activation /*kRecurrent*/, class T>
  CUSEQ_HOST_DEVICE static void backward(const StepBackward<T>& s, const CellBackwardAt<T>& at,
                                         T dh) {
    const T d_pre = dh * activation_derivative_from_output<kActivation>(at.saved[0]);
    at.dx[0] = d_pre;
    at.dh_gates[0] = d_pre;
    s.d_carry[at.index] = T(0);
  }
};

}  // namespace cuseq::detail
