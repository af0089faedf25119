#include "cuseq/dense.h"

#include "cuseq/initializers.h"
#include "layers/detail/build_on_first_call.h"
#include "layers/detail/kernel_layer_options.h"
#include "layers/detail/output_activation.h"

namespace cuseq {
namespace {

const LayerRegistration registration("Dense", [](const std::string& name,
                                                 const LayerConfig& config) {
  DenseOptions options;
  detail::read_kernel_layer_options(config, "Dense", options);
  options.name = name;
  return std::make_unique<Dense>(detail::config_int(config, "units", "Dense"), std::move(options));
});

}  // namespace

Dense::Dense(std::int64_t units, DenseOptions options)
    : Layer(options.name.empty() ? unique_layer_name("dense") : std::move(options.name)),
      units_(units),
      activation_(activation_from_name(options.activation)),
      use_bias_(options.use_bias),
      kernel_regularizer_(options.kernel_regularizer),
      bias_regularizer_(options.bias_regularizer) {
  check(units > 0, this->name(), "units must be positive, got ", units);
  activity_regularizer = options.activity_regularizer;
}

Dense::Dense(std::int64_t units, const std::string& activation)
    : Dense(units, [&] {
        DenseOptions options;
        options.activation = activation;
        return options;
      }()) {}

LayerConfig Dense::config() const {
  return detail::with_kernel_layer_options({{"units", std::to_string(units_)}}, activation_,
                                           use_bias_, kernel_regularizer_, bias_regularizer_,
                                           activity_regularizer);
}

Shape Dense::output_shape(const Shape& input_shape) const {
  check(input_shape.rank() >= 1, name(), "expected inputs with a feature axis, got shape ",
        input_shape, " (without the batch axis)");
  std::vector<std::int64_t> dims = input_shape.dims();
  dims.back() = units_;
  return Shape(dims);
}

void Dense::build_weights(const Shape& input_shape, Generator& generator) {
  check(input_shape.rank() >= 1, name(), "expected inputs with a feature axis, got shape ",
        input_shape, " (without the batch axis)");
  kernel_ = &add_parameter("kernel", Shape{input_shape[-1], units_}, kernel_regularizer_);
  initializers::glorot_uniform(kernel_->value, generator);
  if (use_bias_) bias_ = &add_parameter("bias", Shape{units_}, bias_regularizer_);
}

Tensor Dense::forward(const Tensor& input, const ForwardContext&) {
  check(input.defined() && input.rank() >= 2, name(),
        "expected an input of shape [batch, ..., features], got ", input);
  detail::build_on_first_call(*this, input, input.dtype());
  const std::int64_t in = kernel_->value.dim(0);
  check(input.dim(-1) == in, name(), "expected ", in, " input features, got ", input);
  check_dtype(input, dtype(), name());
  check_same_device(input, kernel_->value, name());
  input_rows_ = input.reshape({-1, in});
  output_rows_ = Tensor::empty(Shape{input_rows_.dim(0), units_}, dtype(), device());
  ops::gemm(input_rows_, false, kernel_->value, false, output_rows_);
  if (use_bias_) ops::bias_add(output_rows_, bias_->value, output_rows_);
  detail::activate_in_place(activation_, output_rows_);
  input_shape_of_last_call_ = input.shape();
  return output_rows_.reshape(output_shape(input.shape()).dims());
}

Tensor Dense::backward(const Tensor& grad_output) {
  check(output_rows_.defined(), name(), "backward() needs a forward() first");
  check(grad_output.defined() && grad_output.numel() == output_rows_.numel() &&
            grad_output.dim(-1) == units_,
        name(), "expected a gradient of the output's shape, got ", grad_output);
  const Tensor grad_rows = grad_output.reshape({-1, units_});
  const Tensor grad_pre_activation =
      detail::grad_before_activation(activation_, output_rows_, grad_rows);
  if (trainable) {
    ops::gemm(input_rows_, true, grad_pre_activation, false, kernel_->grad, 1.0, 1.0);
    if (use_bias_) {
      const Tensor bias_grad = ops::reduce(Reduction::sum, grad_pre_activation, 0);
      ops::add(bias_->grad, bias_grad, bias_->grad);
    }
  }
  Tensor grad_input = Tensor::empty(input_rows_.shape(), dtype(), device());
  ops::gemm(grad_pre_activation, false, kernel_->value, true, grad_input);
  return grad_input.reshape(input_shape_of_last_call_.dims());
}

Tensor Dense::output_mask(const Tensor&, const Tensor& mask) const { return mask; }

}  // namespace cuseq
