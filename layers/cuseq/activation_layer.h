// Keras' Activation layer, type() "Activation". The C++ class is
// ActivationLayer because cuseq::Activation names the activation functions.
#pragma once

#include <string>

#include "cuseq/layer.h"
#include "cuseq/ops.h"

namespace cuseq {

class CUSEQ_API ActivationLayer : public Layer {
 public:
  // "linear" (or ""), "relu", "sigmoid", "tanh", "softmax" (over the last axis).
  explicit ActivationLayer(const std::string& activation, std::string name = "");

  std::string type() const override { return "Activation"; }
  LayerConfig config() const override { return {{"activation", activation_name(activation_)}}; }
  Shape output_shape(const Shape& input_shape) const override { return input_shape; }
  Tensor forward(const Tensor& input, const ForwardContext& context) override;
  Tensor backward(const Tensor& grad_output) override;
  Tensor output_mask(const Tensor& input, const Tensor& mask) const override;

  Activation activation() const { return activation_; }

 protected:
  void build_weights(const Shape&, Generator&) override {}

 private:
  Activation activation_;
  Tensor output_;  // of the last forward: every derivative is computed from it
};

}  // namespace cuseq
