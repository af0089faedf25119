// The recurrent ops behind SimpleRNN, LSTM and GRU: a whole sequence forward
// or backward in one call. Keras' weight layout and gate order, so Keras
// weights give Keras' outputs (DESIGN.md, "Recurrent kernels"):
//   SimpleRNN kernel [in, H],  recurrent_kernel [H, H],  bias [H]
//   LSTM      kernel [in, 4H], recurrent_kernel [H, 4H], bias [4H]      gates i, f, c, o
//   GRU       kernel [in, 3H], recurrent_kernel [H, 3H], bias [2, 3H]   gates z, r, h
// (GRU is Keras' default reset_after=True: bias row 0 is added to x W, row 1
// to h R, and r multiplies (h R_h + b_h) in the candidate.)
//
// Inputs are batch-major [batch, steps, features] as in Keras. The input
// projection of all steps is one GEMM; each step is one recurrent GEMM and one
// fused pointwise kernel; the weight gradients are GEMMs over all steps after
// the backward loop. Nothing is allocated inside the time loop.
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/export.h"
#include "cuseq/ops.h"
#include "cuseq/recurrent_kinds.h"
#include "cuseq/rng.h"
#include "cuseq/tensor.h"

namespace cuseq {

CUSEQ_API std::string recurrent_cell_name(RecurrentCell cell);
// Gates a cell projects onto: 1, 4 or 3 (the G of the weight shapes above).
CUSEQ_API int recurrent_gate_count(RecurrentCell cell);
// The bias of a cell with `units` units: [G*units], or [2, G*units] for the
// GRU (its input row and its recurrent row, Keras' reset_after=True).
CUSEQ_API Shape recurrent_bias_shape(RecurrentCell cell, std::int64_t units);
// States a cell carries from step to step: 2 for the LSTM (h and c), else 1 (h).
CUSEQ_API int recurrent_state_count(RecurrentCell cell);

namespace ops {

struct RecurrentSpec {
  RecurrentCell cell = RecurrentCell::lstm;
  Activation activation = Activation::tanh;
  Activation recurrent_activation = Activation::sigmoid;  // unused by SimpleRNN
  bool go_backwards = false;      // steps processed from last to first; outputs in that order
  bool return_sequences = false;  // output every step's h, else only the final h
  RecurrentAlgorithm algorithm = RecurrentAlgorithm::automatic;
};

// Keras-layout weights (or their gradients); bias undefined for use_bias=False.
struct RecurrentWeights {
  Tensor kernel;
  Tensor recurrent_kernel;
  Tensor bias;
};

struct RecurrentInputs {
  Tensor x;          // [batch, steps, features]
  Tensor initial_h;  // [batch, units], or undefined for zeros
  Tensor initial_c;  // LSTM's carry state, [batch, units], or undefined for zeros
  Tensor step_mask;  // [batch, steps], 1 = real step, 0 = padding; or undefined
  // Dropout scales (0 or 1/(1-rate)) per (sample, unit), reused at every
  // step (Gal & Ghahramani), or undefined: see ops::dropout_mask().
  Tensor input_mask;      // [batch, features], multiplies x before the projection
  Tensor recurrent_mask;  // [batch, units], multiplies h before the recurrent GEMM
};

// What a forward pass returns and keeps for its backward pass.
struct RecurrentTape {
  Tensor output;   // [batch, steps, units] with return_sequences, else [batch, units]
  Tensor final_h;  // [batch, units]
  Tensor final_c;  // [batch, units] (LSTM only)

  // Saved for backward (time axis in processing order).
  Tensor inputs;            // x after input dropout, [batch * steps, features]
  Tensor states;            // h before each step and after the last, [steps + 1, batch, units]
  Tensor cells;             // LSTM's c likewise
  Tensor recurrent_inputs;  // what each step's recurrent GEMM read: states * recurrent_mask
  Tensor activations;       // per step, the gate values backward needs, [steps, batch, S * units]
  Tensor step_mask, input_mask, recurrent_mask;
};

CUSEQ_API RecurrentTape recurrent_forward(const RecurrentSpec& spec,
                                          const RecurrentWeights& weights,
                                          const RecurrentInputs& inputs);

struct RecurrentInputGradients {
  Tensor d_x;          // [batch, steps, features]
  Tensor d_initial_h;  // [batch, units]
  Tensor d_initial_c;  // LSTM only
};

// d_output: dL/d(tape.output); d_final_h, d_final_c: dL/d of the returned
// states (return_state); any may be undefined (zero). ADDS the weight
// gradients into `weight_grads` (shaped like the weights).
CUSEQ_API RecurrentInputGradients
recurrent_backward(const RecurrentSpec& spec, const RecurrentWeights& weights,
                   const RecurrentTape& tape, const Tensor& d_output, const Tensor& d_final_h,
                   const Tensor& d_final_c, RecurrentWeights& weight_grads);

}  // namespace ops
}  // namespace cuseq
