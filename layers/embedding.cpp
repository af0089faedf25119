#include "cuseq/embedding.h"

#include <cmath>

#include "cuseq/embedding_ops.h"
#include "cuseq/initializers.h"
#include "layers/detail/build_on_first_call.h"
#include "layers/detail/layer_config_values.h"

namespace cuseq {
namespace {

using detail::build_on_first_call;
using detail::config_bool;
using detail::config_int;
using detail::config_optional_int;
using detail::config_regularizer;
using detail::format_bool;
using detail::format_optional;
using detail::format_regularizer;

const LayerRegistration registration("Embedding", [](const std::string& name,
                                                     const LayerConfig& config) {
  const std::string type = "Embedding";
  EmbeddingOptions options;
  options.input_length = config_optional_int(config, "input_length", type);
  options.mask_zero = config_bool(config, "mask_zero", type);
  options.embeddings_regularizer = config_regularizer(config, "embeddings_regularizer", type);
  options.name = name;
  return std::make_unique<Embedding>(config_int(config, "input_dim", type),
                                     config_int(config, "output_dim", type), std::move(options));
});

// Whole-number float ids as int32, converted on the host (Keras casts them too).
template <class T>
Tensor ids_from_floats(const Tensor& input, const std::string& layer) {
  const std::vector<T> values = input.to(Device::cpu()).to_vector<T>();
  std::vector<std::int32_t> ids(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    check(std::floor(values[i]) == values[i] && std::fabs(values[i]) < 2147483648.0, layer,
          "expected int32 ids, got the non-integer value ", values[i], " in ", input);
    ids[i] = static_cast<std::int32_t>(values[i]);
  }
  return Tensor::from_vector(ids, input.shape(), input.device());
}

}  // namespace

Embedding::Embedding(std::int64_t input_dim, std::int64_t output_dim, EmbeddingOptions options)
    : Layer(options.name.empty() ? unique_layer_name("embedding") : std::move(options.name)),
      input_dim_(input_dim),
      output_dim_(output_dim),
      input_length_(options.input_length),
      mask_zero_(options.mask_zero),
      embeddings_regularizer_(options.embeddings_regularizer) {
  check(input_dim > 0 && output_dim > 0, this->name(),
        "input_dim and output_dim must be positive, got ", input_dim, " and ", output_dim);
  check(!input_length_ || *input_length_ > 0, this->name(), "input_length must be positive, got ",
        input_length_.value_or(0));
}

Embedding::Embedding(std::int64_t input_dim, std::int64_t output_dim, std::int64_t input_length)
    : Embedding(input_dim, output_dim, [&] {
        EmbeddingOptions options;
        options.input_length = input_length;
        return options;
      }()) {}

LayerConfig Embedding::config() const {
  return {{"input_dim", std::to_string(input_dim_)},
          {"output_dim", std::to_string(output_dim_)},
          {"input_length", format_optional(input_length_)},
          {"mask_zero", format_bool(mask_zero_)},
          {"embeddings_regularizer", format_regularizer(embeddings_regularizer_)}};
}

Shape Embedding::output_shape(const Shape& input_shape) const {
  std::vector<std::int64_t> dims = input_shape.dims();
  dims.push_back(output_dim_);
  return Shape(dims);
}

void Embedding::build_weights(const Shape&, Generator& generator) {
  embeddings_ =
      &add_parameter("embeddings", Shape{input_dim_, output_dim_}, embeddings_regularizer_);
  initializers::random_uniform(embeddings_->value, generator);
}

Tensor Embedding::ids_from(const Tensor& input) const {
  check(input.defined() && input.rank() >= 1, name(), "expected ids of shape [batch, ...], got ",
        input);
  check(!input_length_ || input.rank() < 2 || input.dim(1) == *input_length_, name(), "expected ",
        *input_length_, " steps (input_length), got ids ", input);
  switch (input.dtype()) {
    case DType::int32:
      return input;
    case DType::float32:
      return ids_from_floats<float>(input, name());
    case DType::float64:
      return ids_from_floats<double>(input, name());
    default:
      fail(name(), "expected int32 ids, got ", input.str());
  }
}

Tensor Embedding::forward(const Tensor& input, const ForwardContext&) {
  Tensor ids = ids_from(input);
  build_on_first_call(*this, ids, DType::float32);
  check_same_device(ids, embeddings_->value, name());
  Tensor out = Tensor::empty(Shape(output_shape(ids.shape())), dtype(), device());
  ops::embedding_lookup(ids, embeddings_->value, out, name());
  ids_ = std::move(ids);
  return out;
}

Tensor Embedding::backward(const Tensor& grad_output) {
  check(ids_.defined(), name(), "backward() needs a forward() first");
  if (trainable) ops::embedding_grad(ids_, grad_output, embeddings_->grad, name());
  return Tensor();
}

Tensor Embedding::output_mask(const Tensor& input, const Tensor&) const {
  if (!mask_zero_) return Tensor();
  const Tensor ids = ids_from(input);
  Tensor mask = Tensor::empty(ids.shape(), built() ? dtype() : DType::float32, ids.device());
  ops::nonzero_mask(ids, mask);
  return mask;
}

}  // namespace cuseq
