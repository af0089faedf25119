// Keras' Dropout: inverted dropout. In training each element is kept with
// probability 1 - rate and scaled by 1 / (1 - rate); at inference the layer
// is the identity. Masks come from Philox (ops::dropout_forward): the same on
// the CPU and the GPU for the same seed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cuseq/layer.h"
#include "cuseq/rng.h"

namespace cuseq {

// Dropout's keyword arguments, with Keras' names and defaults.
struct DropoutOptions {
  // Without a seed the layer's generator is seeded at build from the model's
  // generator, so a seeded model is reproducible.
  std::optional<std::uint64_t> seed;
  std::string name;  // "" = a unique default ("dropout", "dropout_1", ...)
};

class CUSEQ_API Dropout : public Layer {
 public:
  // rate in [0, 1).
  explicit Dropout(double rate, DropoutOptions options = {});

  std::string type() const override { return "Dropout"; }
  LayerConfig config() const override;
  Shape output_shape(const Shape& input_shape) const override { return input_shape; }
  // Training: a fresh mask from the next stream of generator(). Inference: input itself.
  Tensor forward(const Tensor& input, const ForwardContext& context) override;
  // grad_output times the last training forward's mask (identity after an inference forward).
  Tensor backward(const Tensor& grad_output) override;
  Tensor output_mask(const Tensor& input, const Tensor& mask) const override;

  double rate() const { return rate_; }
  // Where the masks come from; its counter belongs in checkpoints.
  Generator& generator() { return generator_; }

 protected:
  void build_weights(const Shape& input_shape, Generator& generator) override;

 private:
  double rate_;
  std::optional<std::uint64_t> seed_;
  Generator generator_;
  Tensor mask_;  // of the last training forward; undefined after an inference one
};

}  // namespace cuseq
