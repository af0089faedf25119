#include "cuseq/pooling1d.h"

#include "layers/detail/build_on_first_call.h"
#include "layers/detail/channels_last.h"
#include "layers/detail/layer_config_values.h"

namespace cuseq {
namespace {

using detail::config_int;
using detail::config_string;

// Keras writes strides = pool_size into the config when strides was None.
LayerConfig windowed_config(std::int64_t pool_size, std::int64_t strides, Padding padding) {
  return {{"pool_size", std::to_string(pool_size)},
          {"strides", std::to_string(strides)},
          {"padding", padding_name(padding)}};
}

template <class WindowedPooling>
LayerFactory windowed_factory(const std::string& type) {
  return [type](const std::string& name, const LayerConfig& config) {
    Pooling1DOptions options;
    options.strides = config_int(config, "strides", type);
    options.padding = config_string(config, "padding", type);
    options.name = name;
    return std::make_unique<WindowedPooling>(config_int(config, "pool_size", type),
                                             std::move(options));
  };
}

template <class GlobalPooling>
LayerFactory global_factory() {
  return [](const std::string& name, const LayerConfig&) {
    return std::make_unique<GlobalPooling>(name);
  };
}

const LayerRegistration max_registration("MaxPooling1D",
                                         windowed_factory<MaxPooling1D>("MaxPooling1D"));
const LayerRegistration average_registration(
    "AveragePooling1D", windowed_factory<AveragePooling1D>("AveragePooling1D"));
const LayerRegistration global_max_registration("GlobalMaxPooling1D",
                                                global_factory<GlobalMaxPooling1D>());
const LayerRegistration global_average_registration("GlobalAveragePooling1D",
                                                    global_factory<GlobalAveragePooling1D>());

// Pooling takes no causal padding; named for the layer in the error.
Padding pooling_padding(const std::string& name, const std::string& layer) {
  const Padding padding = padding_from_name(name, layer);
  check(padding != Padding::causal, layer, "pooling takes padding \"valid\" or \"same\", got \"",
        name, "\"");
  return padding;
}

std::string default_name(const std::string& name, const std::string& prefix) {
  return name.empty() ? unique_layer_name(prefix) : name;
}

}  // namespace

Pooling1D::Pooling1D(std::string name, Kind kind, bool global, std::int64_t pool_size,
                     std::int64_t strides, Padding padding)
    : Layer(std::move(name)),
      kind_(kind),
      global_(global),
      pool_size_(pool_size),
      strides_(strides),
      padding_(padding) {
  check(pool_size > 0 && strides > 0, this->name(), "pool_size and strides must be positive, got ",
        pool_size, " and ", strides);
}

Window1d Pooling1D::window_for(std::int64_t steps) const {
  if (global_) return Window1d{steps, steps, steps, 1, Padding::valid};
  return Window1d{steps, pool_size_, strides_, 1, padding_};
}

Shape Pooling1D::output_shape(const Shape& input_shape) const {
  detail::check_sequence_shape(input_shape, name());
  if (global_) return Shape{input_shape[1]};
  return Shape{window_for(input_shape[0]).output_steps(), input_shape[1]};
}

Tensor Pooling1D::forward(const Tensor& input, const ForwardContext&) {
  detail::check_sequence_input(input, name());
  detail::build_on_first_call(*this, input, input.dtype());
  // Keras would average over no steps (NaN) or take the max of none (-inf).
  check(!global_ || input.dim(1) > 0, name(),
        "global pooling needs at least one step, got 0 steps in ", input);
  const Window1d window = window_for(input.dim(1));
  check(window.output_steps() > 0, name(), "a pool of ", window.window,
        " steps does not fit an input of ", input.dim(1), " steps");
  input_shape_of_last_call_ = input.shape();
  pooled_shape_ = Shape{input.dim(0), window.output_steps(), input.dim(2)};
  Tensor output = Tensor::empty(pooled_shape_, input.dtype(), input.device());
  if (kind_ == Kind::max) {
    argmax_ = Tensor::empty(pooled_shape_, DType::int32, input.device());
    ops::max_pool1d_forward(input, window, output, argmax_);
  } else {
    ops::average_pool1d_forward(input, window, output);
  }
  return global_ ? output.reshape({input.dim(0), input.dim(2)}) : output;
}

Tensor Pooling1D::backward(const Tensor& grad_output) {
  check(input_shape_of_last_call_.rank() == 3, name(), "backward() needs a forward() first");
  check(grad_output.defined() && grad_output.numel() == pooled_shape_.numel(), name(),
        "expected a gradient of the output's shape, got ", grad_output);
  const Tensor grad = grad_output.reshape(pooled_shape_.dims());
  const Window1d window = window_for(input_shape_of_last_call_[1]);
  Tensor grad_input = Tensor::empty(input_shape_of_last_call_, grad.dtype(), grad.device());
  if (kind_ == Kind::max) {
    ops::max_pool1d_backward(grad, argmax_, window, grad_input);
  } else {
    ops::average_pool1d_backward(grad, window, grad_input);
  }
  return grad_input;
}

MaxPooling1D::MaxPooling1D(std::int64_t pool_size, Pooling1DOptions options)
    : Pooling1D(
          default_name(options.name, "max_pooling1d"), Kind::max, false, pool_size,
          options.strides.value_or(pool_size),
          pooling_padding(options.padding, options.name.empty() ? "MaxPooling1D" : options.name)) {}

LayerConfig MaxPooling1D::config() const { return windowed_config(pool_size_, strides_, padding_); }

AveragePooling1D::AveragePooling1D(std::int64_t pool_size, Pooling1DOptions options)
    : Pooling1D(default_name(options.name, "average_pooling1d"), Kind::average, false, pool_size,
                options.strides.value_or(pool_size),
                pooling_padding(options.padding,
                                options.name.empty() ? "AveragePooling1D" : options.name)) {}

LayerConfig AveragePooling1D::config() const {
  return windowed_config(pool_size_, strides_, padding_);
}

GlobalMaxPooling1D::GlobalMaxPooling1D(std::string name)
    : Pooling1D(default_name(name, "global_max_pooling1d"), Kind::max, true, 1, 1, Padding::valid) {
}

GlobalAveragePooling1D::GlobalAveragePooling1D(std::string name)
    : Pooling1D(default_name(name, "global_average_pooling1d"), Kind::average, true, 1, 1,
                Padding::valid) {}

}  // namespace cuseq
