// Keras' Conv1D on channels-last sequences: [batch, steps, channels] ->
// [batch, out_steps, filters], out_steps by Keras' rule for the padding.
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/conv_ops.h"
#include "cuseq/layer.h"
#include "cuseq/ops.h"

namespace cuseq {

// Conv1D's keyword arguments, with Keras' names and defaults.
struct Conv1DOptions {
  std::int64_t strides = 1;
  std::string padding = "valid";  // "valid", "same" or "causal"
  // As in Keras, strides > 1 and dilation_rate > 1 cannot be combined.
  std::int64_t dilation_rate = 1;
  std::string activation;  // as Dense's
  bool use_bias = true;
  Regularizer kernel_regularizer, bias_regularizer, activity_regularizer;
  std::string name;  // "" = a unique default ("conv1d", "conv1d_1", ...)
};

class CUSEQ_API Conv1D : public Layer {
 public:
  // kernel [kernel_size, in_channels, filters] starts glorot_uniform, bias
  // [filters] zeros (Keras' defaults).
  Conv1D(std::int64_t filters, std::int64_t kernel_size, Conv1DOptions options = {});
  // The short form Conv1D(64, 5, "relu").
  Conv1D(std::int64_t filters, std::int64_t kernel_size, const std::string& activation);

  std::string type() const override { return "Conv1D"; }
  LayerConfig config() const override;
  Shape output_shape(const Shape& input_shape) const override;
  Tensor forward(const Tensor& input, const ForwardContext& context) override;
  // Adds dL/dkernel and dL/dbias (unless frozen) and returns dL/dinput.
  Tensor backward(const Tensor& grad_output) override;

  std::int64_t filters() const { return filters_; }
  std::int64_t kernel_size() const { return kernel_size_; }
  std::int64_t strides() const { return strides_; }
  Padding padding() const { return padding_; }
  std::int64_t dilation_rate() const { return dilation_rate_; }
  Activation activation() const { return activation_; }
  bool use_bias() const { return use_bias_; }

 protected:
  void build_weights(const Shape& input_shape, Generator& generator) override;

 private:
  Window1d window_for(std::int64_t steps) const;

  std::int64_t filters_;
  std::int64_t kernel_size_;
  std::int64_t strides_;
  Padding padding_;
  std::int64_t dilation_rate_;
  Activation activation_;
  bool use_bias_;
  Regularizer kernel_regularizer_;
  Regularizer bias_regularizer_;
  Parameter* kernel_ = nullptr;
  Parameter* bias_ = nullptr;
  // Of the last forward, for backward.
  Tensor input_;
  Tensor output_;
};

}  // namespace cuseq
