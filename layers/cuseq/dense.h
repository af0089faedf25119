// Keras' Dense: y = activation(x @ kernel + bias) on the last axis of x, so
// [batch, in] -> [batch, units] and [batch, steps, in] -> [batch, steps, units].
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/layer.h"
#include "cuseq/ops.h"

namespace cuseq {

// Dense's keyword arguments, with Keras' names and defaults.
struct DenseOptions {
  // "", "linear", "relu", "sigmoid", "tanh" or "softmax".
  std::string activation;
  bool use_bias = true;
  Regularizer kernel_regularizer, bias_regularizer, activity_regularizer;
  std::string name;  // "" = a unique default ("dense", "dense_1", ...)
};

class CUSEQ_API Dense : public Layer {
 public:
  // kernel [in, units] starts glorot_uniform, bias [units] zeros (Keras' defaults).
  explicit Dense(std::int64_t units, DenseOptions options = {});
  // The short form Dense(64, "relu").
  Dense(std::int64_t units, const std::string& activation);

  std::string type() const override { return "Dense"; }
  LayerConfig config() const override;
  Shape output_shape(const Shape& input_shape) const override;
  Tensor forward(const Tensor& input, const ForwardContext& context) override;
  // Adds dL/dkernel and dL/dbias (unless frozen) and returns dL/dinput.
  Tensor backward(const Tensor& grad_output) override;
  // Dense keeps the mask of its input (Keras' Dense supports masking).
  Tensor output_mask(const Tensor& input, const Tensor& mask) const override;

  std::int64_t units() const { return units_; }
  Activation activation() const { return activation_; }
  bool use_bias() const { return use_bias_; }

 protected:
  void build_weights(const Shape& input_shape, Generator& generator) override;

 private:
  std::int64_t units_;
  Activation activation_;
  bool use_bias_;
  Regularizer kernel_regularizer_;
  Regularizer bias_regularizer_;
  Parameter* kernel_ = nullptr;
  Parameter* bias_ = nullptr;
  // Of the last forward, as matrices [rows, in] and [rows, units], for backward.
  Tensor input_rows_;
  Tensor output_rows_;
  Shape input_shape_of_last_call_;
};

}  // namespace cuseq
