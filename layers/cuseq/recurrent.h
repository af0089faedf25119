// Keras' recurrent layers SimpleRNN, LSTM and GRU (reset_after=True) on the
// fused recurrent ops (recurrent_ops.h). Input [batch, steps, features];
// output [batch, units], or [batch, steps, units] with return_sequences.
// Masks from ForwardContext::mask (any pattern, left padding too): a padded
// step keeps the previous state and outputs zeros. Dropout (Gal &
// Ghahramani): one mask per (sample, feature) on the inputs and one per
// (sample, unit) on the recurrent state, drawn per training forward and reused
// at every step. The input mask is shared by the gates (Keras'
// implementation=2), which lets all gates' input projections be one GEMM.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cuseq/layer.h"
#include "cuseq/recurrent_ops.h"
#include "cuseq/rng.h"
#include "cuseq/stacked_recurrent_ops.h"

namespace cuseq {

// Keras' keyword arguments shared by the three layers (units apart), with
// Keras' names and defaults.
struct RecurrentOptions {
  std::string activation = "tanh";
  std::string recurrent_activation = "sigmoid";  // LSTM and GRU
  bool use_bias = true;
  bool return_sequences = false;
  bool return_state = false;  // see forward_with_state()
  bool go_backwards = false;  // outputs come in processing order (reversed), as in Keras
  bool stateful = false;      // the final states of a batch start the next one
  double dropout = 0.0;
  double recurrent_dropout = 0.0;
  Regularizer kernel_regularizer, recurrent_regularizer, bias_regularizer;
  Regularizer activity_regularizer;
  bool unit_forget_bias = true;       // LSTM: forget-gate bias starts at 1
  std::optional<std::uint64_t> seed;  // of the dropout masks; else drawn at build
  // How the time loop runs (recurrent_ops.h): an execution choice, so it is
  // not part of config() or the model file.
  RecurrentAlgorithm algorithm = RecurrentAlgorithm::automatic;
  std::string name;  // "" = a unique default ("lstm", "lstm_1", ...)
};

struct RecurrentResult {
  Tensor output;
  std::vector<Tensor> states;  // [h] or, for LSTM, [h, c]: each [batch, units]
};

struct RecurrentGradients {
  Tensor input;
  std::vector<Tensor> initial_states;  // dL/d of the initial states passed to forward_with_state
};

class CUSEQ_API Recurrent : public Layer {
 public:
  Recurrent(RecurrentCell cell, std::int64_t units, RecurrentOptions options);

  std::string type() const override { return recurrent_cell_name(cell_); }
  LayerConfig config() const override;
  Shape output_shape(const Shape& input_shape) const override;
  Tensor forward(const Tensor& input, const ForwardContext& context) override;
  Tensor backward(const Tensor& grad_output) override;
  // With return_sequences the mask goes on unchanged (as in Keras, even with
  // go_backwards); else it is consumed.
  Tensor output_mask(const Tensor& input, const Tensor& mask) const override;

  // Keras' return_state / initial_state for encoder-decoder models:
  // initial_states empty (zeros, or the carried states when stateful) or
  // [h] / [h, c] each [batch, units].
  RecurrentResult forward_with_state(const Tensor& input, const ForwardContext& context,
                                     const std::vector<Tensor>& initial_states = {});
  // grad_states: dL/d of the returned states (may be empty or hold undefined
  // tensors). Adds the weight gradients; returns dL/dinput and dL/d(initial states).
  RecurrentGradients backward_with_state(const Tensor& grad_output,
                                         const std::vector<Tensor>& grad_states = {});

  // Forgets the states a stateful layer carries (Keras' reset_states()).
  void reset_states();
  // Where the dropout masks come from; its counter belongs in checkpoints.
  Generator& dropout_generator() { return dropout_generator_; }

  RecurrentCell cell() const { return cell_; }
  std::int64_t units() const { return units_; }
  const RecurrentOptions& options() const { return options_; }

  // What the recurrent ops take for this layer (the layer built).
  ops::RecurrentSpec spec() const;
  ops::RecurrentWeights weights() const;
  // Steps a chunk of the last forward's tape: the whole sequence, unless a
  // RecurrentStack ran the layer in chunks.
  std::int64_t chunk_steps() const { return tape_.chunk_steps; }

 protected:
  void build_weights(const Shape& input_shape, Generator& generator) override;

 private:
  // The pieces of forward_with_state and backward_with_state that
  // RecurrentStack, and nothing else, uses to run several layers as one wavefront.
  friend class RecurrentStack;
  // Everything recurrent_forward takes but x, for inputs of `input_shape`
  // [batch, steps, features] (the layer built): the initial states as
  // forward_with_state picks them, the step mask and this forward's dropout
  // masks (drawn now).
  ops::RecurrentInputs forward_inputs(const Shape& input_shape, const ForwardContext& context,
                                      const std::vector<Tensor>& initial_states);
  // Keeps a forward's tape for backward_with_state (chunk_steps steps a chunk,
  // chunks in processing order) and, when stateful, its final states; returns
  // `output` and the final states.
  RecurrentResult keep_forward(std::vector<ops::RecurrentTape> chunks, std::int64_t chunk_steps,
                               Tensor output);
  // The last forward's tape, one layer of an ops::StackedRecurrentTape.
  // (Empty before the first forward.)
  const std::vector<ops::RecurrentTape>& chunk_tapes() const;
  // Where backward adds the weight gradients: the parameters' grads, or
  // scratch when the layer is frozen.
  ops::RecurrentWeights gradient_targets();

  RecurrentCell cell_;
  std::int64_t units_;
  RecurrentOptions options_;
  Generator dropout_generator_;
  Parameter* kernel_ = nullptr;
  Parameter* recurrent_kernel_ = nullptr;
  Parameter* bias_ = nullptr;
  ops::StackedRecurrentTape tape_;      // of this layer alone
  std::vector<Tensor> carried_states_;  // stateful only
};

class CUSEQ_API SimpleRNN : public Recurrent {
 public:
  explicit SimpleRNN(std::int64_t units, RecurrentOptions options = {});
};

class CUSEQ_API LSTM : public Recurrent {
 public:
  explicit LSTM(std::int64_t units, RecurrentOptions options = {});
};

class CUSEQ_API GRU : public Recurrent {
 public:
  explicit GRU(std::int64_t units, RecurrentOptions options = {});
};

}  // namespace cuseq
