#include "cuseq/dropout.h"

#include "cuseq/dropout_ops.h"
#include "cuseq/ops.h"
#include "layers/detail/build_on_first_call.h"
#include "layers/detail/layer_config_values.h"

namespace cuseq {
namespace {

std::optional<std::uint64_t> config_seed(const LayerConfig& config) {
  const std::optional<std::int64_t> seed = detail::config_optional_int(config, "seed", "Dropout");
  if (!seed) return std::nullopt;
  return static_cast<std::uint64_t>(*seed);
}

const LayerRegistration registration("Dropout", [](const std::string& name,
                                                   const LayerConfig& config) {
  return std::make_unique<Dropout>(detail::config_double(config, "rate", "Dropout"),
                                   DropoutOptions{config_seed(config), name});
});

// A distinct seed for an unseeded layer, from the model's generator.
std::uint64_t seed_from(Generator& generator) {
  const Generator::Stream stream = generator.next_stream();
  return stream.seed * 0x9E3779B97F4A7C15ULL + stream.stream + 1;
}

}  // namespace

Dropout::Dropout(double rate, DropoutOptions options)
    : Layer(options.name.empty() ? unique_layer_name("dropout") : std::move(options.name)),
      rate_(rate),
      seed_(options.seed),
      generator_(options.seed.value_or(Generator().seed())) {
  check(rate >= 0.0 && rate < 1.0, this->name(), "rate must be in [0, 1), got ", rate);
}

LayerConfig Dropout::config() const {
  return {{"rate", detail::format_double(rate_)},
          {"seed", seed_ ? std::to_string(static_cast<std::int64_t>(*seed_)) : "None"}};
}

void Dropout::build_weights(const Shape&, Generator& generator) {
  if (!seed_) generator_ = Generator(seed_from(generator));
}

Tensor Dropout::forward(const Tensor& input, const ForwardContext& context) {
  check(input.defined(), name(), "the input is undefined");
  detail::build_on_first_call(*this, input, input.dtype());
  if (!context.training || rate_ == 0.0) {
    mask_ = Tensor();
    return input;
  }
  mask_ = Tensor::empty(input.shape(), input.dtype(), input.device());
  Tensor output = Tensor::empty(input.shape(), input.dtype(), input.device());
  ops::dropout_forward(input, rate_, generator_.next_stream(), mask_, output);
  return output;
}

Tensor Dropout::backward(const Tensor& grad_output) {
  if (!mask_.defined()) return grad_output;
  Tensor grad_input = Tensor::empty(mask_.shape(), mask_.dtype(), mask_.device());
  ops::multiply(grad_output.reshape(mask_.shape().dims()), mask_, grad_input);
  return grad_input;
}

Tensor Dropout::output_mask(const Tensor&, const Tensor& mask) const { return mask; }

}  // namespace cuseq
