// Keras' Flatten: [batch, d1, d2, ...] -> [batch, d1 * d2 * ...], a view.
#pragma once

#include <string>

#include "cuseq/layer.h"

namespace cuseq {

class CUSEQ_API Flatten : public Layer {
 public:
  explicit Flatten(std::string name = "");

  std::string type() const override { return "Flatten"; }
  LayerConfig config() const override { return {}; }
  Shape output_shape(const Shape& input_shape) const override;
  Tensor forward(const Tensor& input, const ForwardContext& context) override;
  Tensor backward(const Tensor& grad_output) override;

 protected:
  void build_weights(const Shape&, Generator&) override {}

 private:
  Shape input_shape_of_last_call_;
};

}  // namespace cuseq
