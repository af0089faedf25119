#include "cuseq/flatten.h"

#include "layers/detail/build_on_first_call.h"

namespace cuseq {
namespace {

const LayerRegistration registration("Flatten", [](const std::string& name, const LayerConfig&) {
  return std::make_unique<Flatten>(name);
});

}  // namespace

Flatten::Flatten(std::string name)
    : Layer(name.empty() ? unique_layer_name("flatten") : std::move(name)) {}

Shape Flatten::output_shape(const Shape& input_shape) const { return Shape{input_shape.numel()}; }

Tensor Flatten::forward(const Tensor& input, const ForwardContext&) {
  check(input.defined() && input.rank() >= 1, name(), "expected an input with a batch axis, got ",
        input);
  detail::build_on_first_call(*this, input, DType::float32);
  input_shape_of_last_call_ = input.shape();
  const std::int64_t batch = input.dim(0);
  return input.reshape({batch, batch == 0 ? 0 : input.numel() / batch});
}

Tensor Flatten::backward(const Tensor& grad_output) {
  check(input_shape_of_last_call_.rank() > 0, name(), "backward() needs a forward() first");
  check(grad_output.defined() && grad_output.numel() == input_shape_of_last_call_.numel(), name(),
        "expected a gradient of ", input_shape_of_last_call_.numel(), " elements, got ",
        grad_output);
  return grad_output.reshape(input_shape_of_last_call_.dims());
}

}  // namespace cuseq
