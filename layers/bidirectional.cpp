#include "cuseq/bidirectional.h"

#include "layers/detail/build_on_first_call.h"
#include "layers/detail/layer_config_values.h"

namespace cuseq {
namespace {

using detail::config_string;
using detail::format_bool;

constexpr const char* kType = "Bidirectional";

// The keys of `config` that start with "<prefix>.", without it.
LayerConfig nested_config(const LayerConfig& config, const std::string& prefix) {
  LayerConfig nested;
  const std::string start = prefix + ".";
  for (const auto& [key, value] : config) {
    if (key.compare(0, start.size(), start) == 0) nested[key.substr(start.size())] = value;
  }
  return nested;
}

void add_nested_config(LayerConfig& config, const std::string& prefix, const Recurrent& layer) {
  config[prefix] = layer.type();
  for (const auto& [key, value] : layer.config()) config[prefix + "." + key] = value;
}

std::unique_ptr<Recurrent> recurrent_from(const std::string& type, const std::string& name,
                                          const LayerConfig& config, const std::string& where) {
  std::unique_ptr<Layer> layer = create_layer(type, name, config);
  auto* recurrent = dynamic_cast<Recurrent*>(layer.get());
  check(recurrent != nullptr, where, "expected a recurrent layer (SimpleRNN, LSTM, GRU), got ",
        type);
  layer.release();
  return std::unique_ptr<Recurrent>(recurrent);
}

// Keras' default backward layer: the forward layer's config, run the other way.
std::unique_ptr<Recurrent> reversed_copy(const Recurrent& layer) {
  LayerConfig config = layer.config();
  config["go_backwards"] = format_bool(!layer.options().go_backwards);
  return recurrent_from(layer.type(), "backward_" + layer.name(), config, kType);
}

const LayerRegistration registration(kType, [](const std::string& name, const LayerConfig& config) {
  auto layer = recurrent_from(config_string(config, "layer", kType), "",
                              nested_config(config, "layer"), kType);
  BidirectionalOptions options;
  options.merge_mode = config_string(config, "merge_mode", kType);
  if (config.count("backward_layer") != 0) {
    options.backward_layer = recurrent_from(config_string(config, "backward_layer", kType), "",
                                            nested_config(config, "backward_layer"), kType);
  }
  options.name = name;
  return std::make_unique<Bidirectional>(std::move(layer), std::move(options));
});

}  // namespace

Bidirectional::Bidirectional(std::unique_ptr<Recurrent> layer, BidirectionalOptions options)
    : Layer(options.name.empty() ? unique_layer_name("bidirectional") : std::move(options.name)),
      forward_(std::move(layer)),
      explicit_backward_(options.backward_layer != nullptr),
      merge_mode_(merge_mode_from_name(options.merge_mode, this->name())) {
  check(forward_ != nullptr, this->name(), "expected a recurrent layer to wrap, got none");
  backward_ = explicit_backward_ ? std::move(options.backward_layer) : reversed_copy(*forward_);
  const RecurrentOptions &f = forward_->options(), &b = backward_->options();
  check(f.go_backwards != b.go_backwards, this->name(),
        "the backward layer must run the other way: both have go_backwards=",
        format_bool(f.go_backwards));
  check(f.return_sequences == b.return_sequences && f.return_state == b.return_state &&
            f.stateful == b.stateful,
        this->name(),
        "the forward and backward layers must agree on return_sequences, return_state and "
        "stateful");
  check(!f.stateful, this->name(), "stateful recurrent layers are not supported in Bidirectional");
}

Bidirectional::Bidirectional(std::unique_ptr<Recurrent> layer, const std::string& merge_mode)
    : Bidirectional(std::move(layer), [&] {
        BidirectionalOptions options;
        options.merge_mode = merge_mode;
        return options;
      }()) {}

Bidirectional::~Bidirectional() = default;

LayerConfig Bidirectional::config() const {
  LayerConfig c{{"merge_mode", merge_mode_name(merge_mode_)}};
  add_nested_config(c, "layer", *forward_);
  if (explicit_backward_) add_nested_config(c, "backward_layer", *backward_);
  return c;
}

Shape Bidirectional::output_shape(const Shape& input_shape) const {
  const Shape direction = forward_->output_shape(input_shape);
  check(backward_->output_shape(input_shape) == direction, name(),
        "the forward and backward layers give different output shapes");
  return merged_shape(merge_mode_, direction);
}

void Bidirectional::build_weights(const Shape& input_shape, Generator& generator) {
  output_shape(input_shape);
  // The directions own their weights; this layer's parameters share their
  // storage, so optimizers, set_weights and summary see both in Keras' order.
  for (Recurrent* direction : {forward_.get(), backward_.get()}) {
    direction->build(input_shape, dtype(), device(), generator);
    check(direction->dtype() == dtype() && direction->device() == device(), name(),
          "the wrapped layer ", direction->name(), " was built for ",
          dtype_name(direction->dtype()), " on ", direction->device(), ", not ",
          dtype_name(dtype()), " on ", device());
    const std::string prefix =
        (direction == forward_.get() ? "forward_" : "") + direction->name() + "/";
    for (Parameter* inner : direction->parameters()) {
      Parameter& shared =
          add_parameter(prefix + inner->name, inner->value.shape(), inner->regularizer);
      shared.value = inner->value;
      shared.grad = inner->grad;
    }
  }
}

Stream& Bidirectional::side_stream() {
  if (!side_) side_ = std::make_unique<Stream>(device());
  return *side_;
}

Tensor Bidirectional::forward(const Tensor& input, const ForwardContext& context) {
  detail::build_on_first_call(*this, input, input.dtype());
  // The backward direction on its own stream, concurrent with the forward one;
  // each stream waits for what the other has queued that it reads.
  const Device where = input.device();
  Stream& side = side_stream();
  void* const main = current_stream_handle(where);
  stream_wait(where, side.handle(), main);
  {
    StreamGuard guard(side);
    backward_output_ = backward_->forward(input, context);
  }
  forward_output_ = forward_->forward(input, context);
  stream_wait(where, main, side.handle());
  Tensor out = Tensor::empty(merged_shape(merge_mode_, forward_output_.shape()), dtype(), where);
  ops::bidirectional_merge(merge_mode_, forward_output_, backward_output_, out);
  return out;
}

Tensor Bidirectional::backward(const Tensor& grad_output) {
  check(forward_output_.defined(), name(), "backward called before forward");
  const Device where = grad_output.device();
  Tensor d_forward = Tensor::empty(forward_output_.shape(), dtype(), where);
  Tensor d_backward = Tensor::empty(backward_output_.shape(), dtype(), where);
  ops::bidirectional_merge_backward(merge_mode_, forward_output_, backward_output_, grad_output,
                                    d_forward, d_backward);
  forward_->trainable = backward_->trainable = trainable;
  Stream& side = side_stream();
  void* const main = current_stream_handle(where);
  stream_wait(where, side.handle(), main);
  Tensor d_input_backward;
  {
    StreamGuard guard(side);
    d_input_backward = backward_->backward(d_backward);
  }
  Tensor d_input = forward_->backward(d_forward);
  stream_wait(where, main, side.handle());
  ops::add(d_input, d_input_backward, d_input);
  return d_input;
}

Tensor Bidirectional::output_mask(const Tensor&, const Tensor& mask) const {
  return forward_->options().return_sequences ? mask : Tensor();
}

}  // namespace cuseq
