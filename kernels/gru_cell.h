// The GRU cell (Keras' GRU, reset_after=True): gates z, r, h~ in that order,
// with r scaling the recurrent part of the candidate, its bias included:
//   h~ = activation(x W_h + b_h + r * (h R_h + b'_h)),  h = z * h_prev + (1 - z) * h~.
// It saves z, r, h~ and (h R_h + b'_h) for backward. One call handles one (sample, unit).
#pragma once

#include "kernels/pointwise_math.h"
#include "kernels/recurrent_step.h"

namespace cuseq::detail {

struct GruCell {
  static constexpr const char* kName = "GRU";
  static constexpr int kGates = 3;
  static constexpr int kSaved = 4;
  static constexpr bool kCarriesCellState = false;
  static constexpr int kBiasRows = 2;  // the input row and the recurrent row

  template <Activation kActivation, Activation kRecurrent, class T>
  CUSEQ_HOST_DEVICE static void forward(const StepForward<T>& s, const CellForwardAt<T>& at, T& h,
                                        T& /*c*/) {
    const std::int64_t H = s.units, unit = at.unit;
    const T z =
        activate<kRecurrent>(gate_input(s, at.x_row, at.h_row, 0, unit) + s.recurrent_bias[unit]);
    const T r = activate<kRecurrent>(gate_input(s, at.x_row, at.h_row, 1, unit) +
                                     s.recurrent_bias[H + unit]);
    const T recurrent_h = at.h_row[2 * H + unit] + s.recurrent_bias[2 * H + unit];
    const T x_h = at.x_row[2 * H + unit] + s.bias[2 * H + unit];
    const T candidate = activate<kActivation>(x_h + r * recurrent_h);
    h = z * s.h_prev[at.index] + (T(1) - z) * candidate;
    at.saved[0] = z, at.saved[H] = r, at.saved[2 * H] = candidate, at.saved[3 * H] = recurrent_h;
  }

  // dh: dL/dh of this step. Sets d(x W) and d(h R) of the gates and the part
  // of dL/dh_prev that bypasses them (z * dh, in s.d_carry).
  template <Activation kActivation, Activation kRecurrent, class T>
  CUSEQ_HOST_DEVICE static void backward(const StepBackward<T>& s, const CellBackwardAt<T>& at,
                                         T dh) {
    const std::int64_t H = s.units, index = at.index;
    const T z = at.saved[0], r = at.saved[H], candidate = at.saved[2 * H],
            recurrent_h = at.saved[3 * H];
    const T d_candidate =
        dh * (T(1) - z) * activation_derivative_from_output<kActivation>(candidate);
    const T dz =
        dh * (s.h_prev[index] - candidate) * activation_derivative_from_output<kRecurrent>(z);
    const T dr = d_candidate * recurrent_h * activation_derivative_from_output<kRecurrent>(r);
    at.dx[0] = dz, at.dx[H] = dr, at.dx[2 * H] = d_candidate;
    at.dh_gates[0] = dz, at.dh_gates[H] = dr, at.dh_gates[2 * H] = d_candidate * r;
    s.d_carry[index] = dh * z;
  }
};

}  // namespace cuseq::detail
