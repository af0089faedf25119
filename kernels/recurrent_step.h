// What one step of a recurrent cell reads and writes, shared by the cells
// (lstm_cell.h, gru_cell.h, simple_rnn_cell.h) and the time loops that run
// them (recurrent.h): pointers are raw so the structs travel to the
// GPU by value.
#pragma once

#include <cstdint>

#include "cuseq/activation.h"
#include "cuseq/host_device.h"
#include "cuseq/recurrent_kinds.h"

namespace cuseq::detail {

// Where a [batch, steps, units] sequence keeps the row of (sample, step):
// sample * sample + step * step elements in. Without return_sequences one
// [batch, units] buffer stands in for every step (step stride 0).
struct SequenceStrides {
  std::int64_t sample, step;
};

// One forward step. The pointers a cell reads or writes for every unit are
// never null, also where the layer has no such thing (zeros, ones or scratch
// in their place, see recurrent_ops.cpp): the CPU loops over units turn a
// per-unit `if (pointer)` into a masked vector load or store, and one through
// a null pointer costs a microcode assist even with every lane masked off
// (~150 cycles on the AMD EPYC VM, 40x a plain load: most of a cell's time).
template <class T>
struct StepForward {
  RecurrentCell cell;
  Activation activation, recurrent_activation;
  std::int64_t batch, units, steps;
  std::int64_t step;              // processing index: the output column
  std::int64_t time;              // input index: step, or steps-1-step with go_backwards
  const T* input_projection;      // [batch, steps, G*units]: x W, row sample*steps + time
  const T* recurrent_projection;  // [batch, G*units]: (h_prev * recurrent_mask) R
  const T* bias;                  // [G*units] (GRU: the input row); zeros without a bias
  const T* recurrent_bias;        // GRU's recurrent row [3*units] (zeros without); others: null
  const T* step_mask;             // [batch, steps], or null (read once per sample, not per unit)
  const T* recurrent_mask;        // [batch, units]; ones without recurrent dropout
  const T* h_prev;
  const T* c_prev;  // LSTM
  T* h;
  T* c;         // LSTM
  T* h_masked;  // h * recurrent_mask, the next recurrent GEMM's input (h itself without a mask)
  T* saved;     // [batch, S*units]
  T* sequence;  // [batch, steps, units]; scratch [batch, units] without return_sequences
  SequenceStrides sequence_strides;
};

// One backward step, the mirror of StepForward (its per-unit pointers never
// null either, but for d_recurrent, null at the last step only).
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
  const T* d_sequence;  // [batch, steps, units]; zeros [batch, units] without return_sequences
  SequenceStrides sequence_strides;
  const T* d_recurrent;     // [batch, units]: d(next step's recurrent GEMM input), or null
  const T* recurrent_mask;  // ones without recurrent dropout
  T* d_carry;  // in: dL/dh reaching this step directly; out: the part going straight to h_prev
  T* d_cell;   // LSTM, in: dL/dc; out: dL/dc_prev
  T* d_gates_input;      // [batch, steps, G*units], row sample*steps + time: d(x W)
  T* d_gates_recurrent;  // [batch, G*units]: d(h R)
};

template <class T>
CUSEQ_HOST_DEVICE bool step_is_real(const T* step_mask, std::int64_t sample, std::int64_t steps,
                                    std::int64_t time) {
  return step_mask == nullptr || step_mask[sample * steps + time] != T(0);
}

// Gate g's pre-activation: x W + h R + bias (the GRU adds its recurrent row).
template <class T>
CUSEQ_HOST_DEVICE T gate_input(const StepForward<T>& s, const T* x_row, const T* h_row, int g,
                               std::int64_t unit) {
  const std::int64_t k = g * s.units + unit;
  return x_row[k] + h_row[k] + s.bias[k];
}

// Where one (sample, unit) of a step finds its rows: x W and h R of its
// sample (G*units each), what forward saved for it (`saved[k * units]` is
// value k), and its index in [batch, units].
template <class T>
struct CellForwardAt {
  const T* x_row;
  const T* h_row;
  T* saved;
  std::int64_t unit, index;
};

template <class T>
struct CellBackwardAt {
  const T* saved;
  T* dx;        // d(x W) of gate k at dx[k * units]
  T* dh_gates;  // d(h R) of gate k at dh_gates[k * units]
  std::int64_t index;
};

}  // namespace cuseq::detail
