#include "cuseq/recurrent.h"

#include "cuseq/dropout_ops.h"
#include "cuseq/initializers.h"
#include "layers/detail/build_on_first_call.h"
#include "layers/detail/layer_config_values.h"

namespace cuseq {
namespace {

using detail::config_bool;
using detail::config_double;
using detail::config_int;
using detail::config_optional_int;
using detail::config_regularizer;
using detail::config_string;
using detail::format_bool;
using detail::format_double;
using detail::format_regularizer;

RecurrentOptions options_from(const LayerConfig& config, const std::string& type) {
  RecurrentOptions o;
  o.activation = config_string(config, "activation", type);
  if (type != "SimpleRNN")
    o.recurrent_activation = config_string(config, "recurrent_activation", type);
  o.use_bias = config_bool(config, "use_bias", type);
  o.return_sequences = config_bool(config, "return_sequences", type);
  o.return_state = config_bool(config, "return_state", type);
  o.go_backwards = config_bool(config, "go_backwards", type);
  o.stateful = config_bool(config, "stateful", type);
  o.dropout = config_double(config, "dropout", type);
  o.recurrent_dropout = config_double(config, "recurrent_dropout", type);
  o.kernel_regularizer = config_regularizer(config, "kernel_regularizer", type);
  o.recurrent_regularizer = config_regularizer(config, "recurrent_regularizer", type);
  o.bias_regularizer = config_regularizer(config, "bias_regularizer", type);
  if (type == "LSTM") o.unit_forget_bias = config_bool(config, "unit_forget_bias", type);
  if (const auto seed = config_optional_int(config, "seed", type)) {
    o.seed = static_cast<std::uint64_t>(*seed);
  }
  return o;
}

template <class Layer>
LayerRegistration register_recurrent(const std::string& type) {
  return LayerRegistration(type, [type](const std::string& name, const LayerConfig& config) {
    RecurrentOptions options = options_from(config, type);
    options.activity_regularizer = config_regularizer(config, "activity_regularizer", type);
    options.name = name;
    return std::make_unique<Layer>(config_int(config, "units", type), std::move(options));
  });
}

const LayerRegistration simple_rnn_registration = register_recurrent<SimpleRNN>("SimpleRNN");
const LayerRegistration lstm_registration = register_recurrent<LSTM>("LSTM");
const LayerRegistration gru_registration = register_recurrent<GRU>("GRU");

// A distinct seed for an unseeded layer, from the model's generator.
std::uint64_t seed_from(Generator& generator) {
  const Generator::Stream stream = generator.next_stream();
  return stream.seed * 0x9E3779B97F4A7C15ULL + stream.stream + 1;
}

std::string default_name(RecurrentCell cell) {
  switch (cell) {
    case RecurrentCell::simple_rnn:
      return "simple_rnn";
    case RecurrentCell::lstm:
      return "lstm";
    case RecurrentCell::gru:
      return "gru";
  }
  return "rnn";
}

// The mask in the layer's dtype (an Embedding's float32 mask feeding a float64 layer).
Tensor in_dtype(const Tensor& mask, DType dtype) {
  if (mask.dtype() == dtype) return mask;
  const Tensor host = mask.to(Device::cpu());
  std::vector<double> values;
  if (host.dtype() == DType::float32) {
    const std::vector<float> floats = host.to_vector<float>();
    values.assign(floats.begin(), floats.end());
  } else {
    values = host.to_vector<double>();
  }
  const Tensor converted =
      dtype == DType::float32
          ? Tensor::from_vector(std::vector<float>(values.begin(), values.end()), mask.shape())
          : Tensor::from_vector(values, mask.shape());
  return converted.to(mask.device());
}

Tensor dropout_mask(double rate, std::int64_t batch, std::int64_t width, DType dtype, Device device,
                    Generator& generator) {
  Tensor mask = Tensor::empty(Shape{batch, width}, dtype, device);
  ops::dropout_mask(rate, generator.next_stream(), mask);
  return mask;
}

}  // namespace

Recurrent::Recurrent(RecurrentCell cell, std::int64_t units, RecurrentOptions options)
    : Layer(options.name.empty() ? unique_layer_name(default_name(cell)) : options.name),
      cell_(cell),
      units_(units),
      options_(std::move(options)),
      dropout_generator_(options_.seed.value_or(Generator().seed())) {
  options_.name = name();
  activity_regularizer = options_.activity_regularizer;
  check(units > 0, this->name(), "units must be positive, got ", units);
  check(options_.dropout >= 0 && options_.dropout < 1, this->name(),
        "dropout must be in [0, 1), got ", options_.dropout);
  check(options_.recurrent_dropout >= 0 && options_.recurrent_dropout < 1, this->name(),
        "recurrent_dropout must be in [0, 1), got ", options_.recurrent_dropout);
  spec();  // validates the activation names
}

SimpleRNN::SimpleRNN(std::int64_t units, RecurrentOptions options)
    : Recurrent(RecurrentCell::simple_rnn, units, std::move(options)) {}
LSTM::LSTM(std::int64_t units, RecurrentOptions options)
    : Recurrent(RecurrentCell::lstm, units, std::move(options)) {}
GRU::GRU(std::int64_t units, RecurrentOptions options)
    : Recurrent(RecurrentCell::gru, units, std::move(options)) {}

ops::RecurrentSpec Recurrent::spec() const {
  ops::RecurrentSpec s;
  s.cell = cell_;
  s.activation = activation_from_name(options_.activation);
  s.recurrent_activation = cell_ == RecurrentCell::simple_rnn
                               ? Activation::linear
                               : activation_from_name(options_.recurrent_activation);
  check(s.activation != Activation::softmax && s.recurrent_activation != Activation::softmax,
        name(), "softmax is not a pointwise activation; use tanh, sigmoid, relu or linear");
  s.go_backwards = options_.go_backwards;
  s.return_sequences = options_.return_sequences;
  s.algorithm = options_.algorithm;
  return s;
}

LayerConfig Recurrent::config() const {
  LayerConfig c{
      {"units", std::to_string(units_)},
      {"activation", activation_name(activation_from_name(options_.activation))},
      {"use_bias", format_bool(options_.use_bias)},
      {"return_sequences", format_bool(options_.return_sequences)},
      {"return_state", format_bool(options_.return_state)},
      {"go_backwards", format_bool(options_.go_backwards)},
      {"stateful", format_bool(options_.stateful)},
      {"dropout", format_double(options_.dropout)},
      {"recurrent_dropout", format_double(options_.recurrent_dropout)},
      {"kernel_regularizer", format_regularizer(options_.kernel_regularizer)},
      {"recurrent_regularizer", format_regularizer(options_.recurrent_regularizer)},
      {"bias_regularizer", format_regularizer(options_.bias_regularizer)},
      {"activity_regularizer", format_regularizer(activity_regularizer)},
      {"seed", options_.seed ? std::to_string(static_cast<std::int64_t>(*options_.seed)) : "None"}};
  if (cell_ != RecurrentCell::simple_rnn) {
    c["recurrent_activation"] =
        activation_name(activation_from_name(options_.recurrent_activation));
  }
  if (cell_ == RecurrentCell::lstm) c["unit_forget_bias"] = format_bool(options_.unit_forget_bias);
  if (cell_ == RecurrentCell::gru) c["reset_after"] = format_bool(true);
  return c;
}

Shape Recurrent::output_shape(const Shape& input_shape) const {
  check(input_shape.rank() == 2, name(), "expected inputs [batch, steps, features], got shape ",
        input_shape, " (without the batch axis)");
  return options_.return_sequences ? Shape{input_shape[0], units_} : Shape{units_};
}

void Recurrent::build_weights(const Shape& input_shape, Generator& generator) {
  output_shape(input_shape);
  if (!options_.seed) dropout_generator_ = Generator(seed_from(generator));
  const std::int64_t width = recurrent_gate_count(cell_) * units_;
  kernel_ = &add_parameter("kernel", Shape{input_shape[-1], width}, options_.kernel_regularizer);
  initializers::glorot_uniform(kernel_->value, generator);
  recurrent_kernel_ =
      &add_parameter("recurrent_kernel", Shape{units_, width}, options_.recurrent_regularizer);
  initializers::orthogonal(recurrent_kernel_->value, generator);
  if (!options_.use_bias) return;
  bias_ = &add_parameter("bias", recurrent_bias_shape(cell_, units_), options_.bias_regularizer);
  if (cell_ == RecurrentCell::lstm && options_.unit_forget_bias) {
    Tensor forget = bias_->value.reshape({4, units_})[1];
    ops::fill(forget, 1.0);
  }
}

ops::RecurrentWeights Recurrent::weights() const {
  check(built(), name(), "the layer is not built");
  return {kernel_->value, recurrent_kernel_->value, bias_ ? bias_->value : Tensor()};
}

ops::RecurrentWeights Recurrent::gradient_targets() {
  check(built(), name(), "the layer is not built");
  // A frozen layer still returns dL/dinput; its weight gradients go to scratch.
  auto target = [&](Parameter* p) {
    if (!p) return Tensor();
    return trainable ? p->grad : Tensor::zeros(p->grad.shape(), p->grad.dtype(), p->grad.device());
  };
  return {target(kernel_), target(recurrent_kernel_), target(bias_)};
}

ops::RecurrentInputs Recurrent::forward_inputs(const Shape& input_shape,
                                               const ForwardContext& context,
                                               const std::vector<Tensor>& initial_states) {
  check(built(), name(), "the layer is not built");
  check(input_shape.rank() == 3 && input_shape[2] == kernel_->value.dim(0), name(), "expected ",
        kernel_->value.dim(0), " input features, got inputs of shape ", input_shape);
  const std::int64_t batch = input_shape[0];
  const auto state_count = static_cast<std::size_t>(recurrent_state_count(cell_));

  ops::RecurrentInputs in;
  const std::vector<Tensor>& initial = !initial_states.empty()
                                           ? initial_states
                                           : (options_.stateful ? carried_states_ : initial_states);
  if (!initial.empty()) {
    check(initial.size() == state_count, name(), "expected ", state_count, " initial states, got ",
          initial.size());
    in.initial_h = initial[0];
    if (state_count == 2) in.initial_c = initial[1];
  }
  if (context.mask.defined()) in.step_mask = in_dtype(context.mask, dtype());
  if (context.training && options_.dropout > 0) {
    in.input_mask = dropout_mask(options_.dropout, batch, input_shape[2], dtype(), device(),
                                 dropout_generator_);
  }
  if (context.training && options_.recurrent_dropout > 0) {
    in.recurrent_mask = dropout_mask(options_.recurrent_dropout, batch, units_, dtype(), device(),
                                     dropout_generator_);
  }
  return in;
}

RecurrentResult Recurrent::keep_forward(std::vector<ops::RecurrentTape> chunks,
                                        std::int64_t chunk_steps, Tensor output) {
  check(!chunks.empty() && chunk_steps >= 1, name(), "expected the tape of at least one chunk");
  RecurrentResult result;
  result.output = output;
  result.states.push_back(chunks.back().final_h);
  if (recurrent_state_count(cell_) == 2) result.states.push_back(chunks.back().final_c);
  if (options_.stateful) {
    carried_states_.clear();
    for (const Tensor& state : result.states) carried_states_.push_back(state.clone());
  }
  tape_.chunk_steps = chunk_steps;
  tape_.chunks.assign(1, std::move(chunks));
  tape_.output = std::move(output);
  return result;
}

const std::vector<ops::RecurrentTape>& Recurrent::chunk_tapes() const {
  static const std::vector<ops::RecurrentTape> none;
  return tape_.chunks.empty() ? none : tape_.chunks[0];
}

RecurrentResult Recurrent::forward_with_state(const Tensor& input, const ForwardContext& context,
                                              const std::vector<Tensor>& initial_states) {
  check(input.defined() && input.rank() == 3, name(),
        "expected an input of shape [batch, steps, features], got ", input);
  detail::build_on_first_call(*this, input, input.dtype());
  check_dtype(input, dtype(), name());
  check_same_device(input, kernel_->value, name());
  ops::RecurrentInputs in = forward_inputs(input.shape(), context, initial_states);
  in.x = input;
  ops::RecurrentTape tape = ops::recurrent_forward(spec(), weights(), in);
  Tensor output = tape.output;
  std::vector<ops::RecurrentTape> chunks;
  chunks.push_back(std::move(tape));
  return keep_forward(std::move(chunks), input.dim(1), std::move(output));
}

Tensor Recurrent::forward(const Tensor& input, const ForwardContext& context) {
  return forward_with_state(input, context).output;
}

RecurrentGradients Recurrent::backward_with_state(const Tensor& grad_output,
                                                  const std::vector<Tensor>& grad_states) {
  check(!tape_.chunks.empty(), name(), "backward called before forward");
  check(grad_states.size() <= 2, name(), "expected at most 2 state gradients, got ",
        grad_states.size());
  const Tensor d_h = grad_states.size() > 0 ? grad_states[0] : Tensor();
  const Tensor d_c = grad_states.size() > 1 ? grad_states[1] : Tensor();
  // After a stacked forward the tape is this layer's chunks: their backward
  // runs chunk after chunk (the wavefront is RecurrentStack::backward's).
  std::vector<ops::RecurrentWeights> grads{gradient_targets()};
  const ops::StackedRecurrentGradients g = ops::stacked_recurrent_backward(
      {{spec(), weights()}}, tape_, grad_output, {d_h}, {d_c}, grads);
  RecurrentGradients result{g.d_x, {g.d_initial_h[0]}};
  if (g.d_initial_c[0].defined()) result.initial_states.push_back(g.d_initial_c[0]);
  return result;
}

Tensor Recurrent::backward(const Tensor& grad_output) {
  return backward_with_state(grad_output).input;
}

Tensor Recurrent::output_mask(const Tensor&, const Tensor& mask) const {
  return options_.return_sequences ? mask : Tensor();
}

void Recurrent::reset_states() { carried_states_.clear(); }

}  // namespace cuseq
