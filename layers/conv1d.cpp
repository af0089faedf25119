#include "cuseq/conv1d.h"

#include "cuseq/initializers.h"
#include "layers/detail/build_on_first_call.h"
#include "layers/detail/channels_last.h"
#include "layers/detail/kernel_layer_options.h"
#include "layers/detail/output_activation.h"

namespace cuseq {
namespace {

using detail::config_int;

const LayerRegistration registration("Conv1D", [](const std::string& name,
                                                  const LayerConfig& config) {
  const std::string type = "Conv1D";
  Conv1DOptions options;
  options.strides = config_int(config, "strides", type);
  options.padding = detail::config_string(config, "padding", type);
  options.dilation_rate = config_int(config, "dilation_rate", type);
  detail::read_kernel_layer_options(config, type, options);
  options.name = name;
  return std::make_unique<Conv1D>(config_int(config, "filters", type),
                                  config_int(config, "kernel_size", type), std::move(options));
});

}  // namespace

Conv1D::Conv1D(std::int64_t filters, std::int64_t kernel_size, Conv1DOptions options)
    : Layer(options.name.empty() ? unique_layer_name("conv1d") : std::move(options.name)),
      filters_(filters),
      kernel_size_(kernel_size),
      strides_(options.strides),
      padding_(padding_from_name(options.padding, this->name())),
      dilation_rate_(options.dilation_rate),
      activation_(activation_from_name(options.activation)),
      use_bias_(options.use_bias),
      kernel_regularizer_(options.kernel_regularizer),
      bias_regularizer_(options.bias_regularizer) {
  const std::int64_t strides = strides_, dilation_rate = dilation_rate_;
  check(filters > 0 && kernel_size > 0 && strides > 0 && dilation_rate > 0, this->name(),
        "filters, kernel_size, strides and dilation_rate must be positive, got ", filters, ", ",
        kernel_size, ", ", strides, ", ", dilation_rate);
  check(strides == 1 || dilation_rate == 1, this->name(),
        "strides > 1 cannot be combined with dilation_rate > 1 (as in Keras), got strides ",
        strides, " and dilation_rate ", dilation_rate);
  activity_regularizer = options.activity_regularizer;
}

Conv1D::Conv1D(std::int64_t filters, std::int64_t kernel_size, const std::string& activation)
    : Conv1D(filters, kernel_size, [&] {
        Conv1DOptions options;
        options.activation = activation;
        return options;
      }()) {}

LayerConfig Conv1D::config() const {
  return detail::with_kernel_layer_options({{"filters", std::to_string(filters_)},
                                            {"kernel_size", std::to_string(kernel_size_)},
                                            {"strides", std::to_string(strides_)},
                                            {"padding", padding_name(padding_)},
                                            {"dilation_rate", std::to_string(dilation_rate_)}},
                                           activation_, use_bias_, kernel_regularizer_,
                                           bias_regularizer_, activity_regularizer);
}

Window1d Conv1D::window_for(std::int64_t steps) const {
  return Window1d{steps, kernel_size_, strides_, dilation_rate_, padding_};
}

Shape Conv1D::output_shape(const Shape& input_shape) const {
  detail::check_sequence_shape(input_shape, name());
  return Shape{window_for(input_shape[0]).output_steps(), filters_};
}

void Conv1D::build_weights(const Shape& input_shape, Generator& generator) {
  detail::check_sequence_shape(input_shape, name());
  kernel_ =
      &add_parameter("kernel", Shape{kernel_size_, input_shape[1], filters_}, kernel_regularizer_);
  initializers::glorot_uniform(kernel_->value, generator);
  if (use_bias_) bias_ = &add_parameter("bias", Shape{filters_}, bias_regularizer_);
}

Tensor Conv1D::forward(const Tensor& input, const ForwardContext&) {
  detail::check_sequence_input(input, name());
  detail::build_on_first_call(*this, input, input.dtype());
  const std::int64_t channels = kernel_->value.dim(1);
  check(input.dim(2) == channels, name(), "expected ", channels, " input channels, got ", input);
  check_dtype(input, dtype(), name());
  check_same_device(input, kernel_->value, name());
  const Window1d window = window_for(input.dim(1));
  check(window.output_steps() > 0, name(), "a window of ", window.span(),
        " steps does not fit an input of ", input.dim(1), " steps with padding \"",
        padding_name(padding_), "\"");
  input_ = input;
  output_ = Tensor::empty(Shape{input.dim(0), window.output_steps(), filters_}, dtype(), device());
  ops::conv1d_forward(input, kernel_->value, use_bias_ ? bias_->value : Tensor(), window, output_);
  detail::activate_in_place(activation_, output_);
  return output_;
}

Tensor Conv1D::backward(const Tensor& grad_output) {
  check(output_.defined(), name(), "backward() needs a forward() first");
  check(grad_output.defined() && grad_output.shape() == output_.shape(), name(),
        "expected a gradient of the output's shape ", output_.shape(), ", got ", grad_output);
  const Tensor grad_pre_activation =
      detail::grad_before_activation(activation_, output_, grad_output);
  const Window1d window = window_for(input_.dim(1));
  if (trainable) {
    Tensor no_bias;
    ops::conv1d_backward_weights(input_, grad_pre_activation, window, kernel_->grad,
                                 use_bias_ ? bias_->grad : no_bias);
  }
  Tensor grad_input = Tensor::empty(input_.shape(), dtype(), device());
  ops::conv1d_backward_input(grad_pre_activation, kernel_->value, window, grad_input);
  return grad_input;
}

}  // namespace cuseq
