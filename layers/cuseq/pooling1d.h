// Keras' 1-D pooling layers on channels-last sequences [batch, steps, channels]:
// MaxPooling1D and AveragePooling1D slide a window along the steps;
// GlobalMaxPooling1D and GlobalAveragePooling1D pool all steps into [batch, channels].
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cuseq/conv_ops.h"
#include "cuseq/layer.h"

namespace cuseq {

// What the pooling layers share: no weights, a window over the steps, and
// the forward/backward plumbing. Subclasses pick max or average.
class CUSEQ_API Pooling1D : public Layer {
 public:
  Shape output_shape(const Shape& input_shape) const override;
  Tensor forward(const Tensor& input, const ForwardContext& context) override;
  Tensor backward(const Tensor& grad_output) override;

 protected:
  enum class Kind { max, average };
  // global: the window is the whole sequence and the steps axis is dropped.
  Pooling1D(std::string name, Kind kind, bool global, std::int64_t pool_size, std::int64_t strides,
            Padding padding);
  void build_weights(const Shape&, Generator&) override {}
  Window1d window_for(std::int64_t steps) const;

  Kind kind_;
  bool global_;
  std::int64_t pool_size_;
  std::int64_t strides_;
  Padding padding_;

 private:
  // Of the last forward, for backward.
  Shape input_shape_of_last_call_;
  Shape pooled_shape_;  // [batch, out_steps, channels]
  Tensor argmax_;
};

// MaxPooling1D's and AveragePooling1D's keyword arguments, with Keras' names
// and defaults.
struct Pooling1DOptions {
  std::optional<std::int64_t> strides;  // none: pool_size
  std::string padding = "valid";        // "valid" or "same"
  std::string name;                     // "" = a unique default
};

class CUSEQ_API MaxPooling1D : public Pooling1D {
 public:
  // With "same" padding, padding never wins.
  explicit MaxPooling1D(std::int64_t pool_size = 2, Pooling1DOptions options = {});
  std::string type() const override { return "MaxPooling1D"; }
  LayerConfig config() const override;
};

class CUSEQ_API AveragePooling1D : public Pooling1D {
 public:
  // With "same" padding a window averages its real steps only.
  explicit AveragePooling1D(std::int64_t pool_size = 2, Pooling1DOptions options = {});
  std::string type() const override { return "AveragePooling1D"; }
  LayerConfig config() const override;
};

// The global poolings (like Flatten and Activation) have no option but their name.
class CUSEQ_API GlobalMaxPooling1D : public Pooling1D {
 public:
  explicit GlobalMaxPooling1D(std::string name = "");
  std::string type() const override { return "GlobalMaxPooling1D"; }
  LayerConfig config() const override { return {}; }
};

// Averages every step; an incoming mask is not taken into account.
class CUSEQ_API GlobalAveragePooling1D : public Pooling1D {
 public:
  explicit GlobalAveragePooling1D(std::string name = "");
  std::string type() const override { return "GlobalAveragePooling1D"; }
  LayerConfig config() const override { return {}; }
};

}  // namespace cuseq
