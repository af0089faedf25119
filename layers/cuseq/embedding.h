// Keras' Embedding: int32 ids [batch, ...] -> vectors [batch, ..., output_dim].
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cuseq/layer.h"

namespace cuseq {

// Embedding's keyword arguments, with Keras' names and defaults.
struct EmbeddingOptions {
  // Only documents (and checks) the steps axis, as in Keras 2.
  std::optional<std::int64_t> input_length;
  // Id 0 is padding, and output_mask() marks it for later layers.
  bool mask_zero = false;
  Regularizer embeddings_regularizer;
  std::string name;  // "" = a unique default ("embedding", "embedding_1", ...)
};

class CUSEQ_API Embedding : public Layer {
 public:
  // The table starts as uniform(-0.05, 0.05), Keras' default.
  Embedding(std::int64_t input_dim, std::int64_t output_dim, EmbeddingOptions options = {});
  // The short form Embedding(10000, 16, 100) with input_length, as Keras 2 users write it.
  Embedding(std::int64_t input_dim, std::int64_t output_dim, std::int64_t input_length);

  std::string type() const override { return "Embedding"; }
  LayerConfig config() const override;
  Shape output_shape(const Shape& input_shape) const override;
  // input: int32 ids (float inputs holding whole numbers are converted, as
  // Keras casts them). An id outside [0, input_dim) is a cuseq::Error naming
  // this layer, the id and its position; nothing is read out of bounds.
  Tensor forward(const Tensor& input, const ForwardContext& context) override;
  // Adds the gradient of the table (repeated ids summed, deterministically)
  // unless the layer is frozen (trainable = false), then the grad stays
  // untouched. Ids have no gradient: returns an undefined Tensor.
  Tensor backward(const Tensor& grad_output) override;
  // With mask_zero: a [batch, steps] mask of the layer's dtype, 1 where id != 0.
  Tensor output_mask(const Tensor& input, const Tensor& mask) const override;

  std::int64_t input_dim() const { return input_dim_; }
  std::int64_t output_dim() const { return output_dim_; }
  bool mask_zero() const { return mask_zero_; }

 protected:
  void build_weights(const Shape& input_shape, Generator& generator) override;

 private:
  Tensor ids_from(const Tensor& input) const;

  std::int64_t input_dim_;
  std::int64_t output_dim_;
  std::optional<std::int64_t> input_length_;
  bool mask_zero_;
  Regularizer embeddings_regularizer_;
  Parameter* embeddings_ = nullptr;
  Tensor ids_;  // of the last forward, for backward
};

}  // namespace cuseq
