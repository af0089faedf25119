#include "cuseq/activation_layer.h"

#include "layers/detail/build_on_first_call.h"
#include "layers/detail/layer_config_values.h"

namespace cuseq {
namespace {

const LayerRegistration registration("Activation", [](const std::string& name,
                                                      const LayerConfig& config) {
  return std::make_unique<ActivationLayer>(
      detail::config_string(config, "activation", "Activation"), name);
});

}  // namespace

ActivationLayer::ActivationLayer(const std::string& activation, std::string name)
    : Layer(name.empty() ? unique_layer_name("activation") : std::move(name)),
      activation_(activation_from_name(activation)) {}

Tensor ActivationLayer::forward(const Tensor& input, const ForwardContext&) {
  check(input.defined() && input.rank() >= 1, name(), "expected an input with a batch axis, got ",
        input);
  detail::build_on_first_call(*this, input, input.dtype());
  output_ = Tensor::empty(input.shape(), input.dtype(), input.device());
  ops::activation_forward(activation_, input, output_);
  return output_;
}

Tensor ActivationLayer::backward(const Tensor& grad_output) {
  check(output_.defined(), name(), "backward() needs a forward() first");
  Tensor grad_input = Tensor::empty(output_.shape(), output_.dtype(), output_.device());
  ops::activation_backward(activation_, output_, grad_output, grad_input);
  return grad_input;
}

Tensor ActivationLayer::output_mask(const Tensor&, const Tensor& mask) const { return mask; }

}  // namespace cuseq
