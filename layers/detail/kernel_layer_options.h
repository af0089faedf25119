// The options Dense and Conv1D share as Keras' kernel layers: activation,
// use_bias and the kernel, bias and activity regularizers, read from a
// LayerConfig into either layer's options and written back, in one place.
#pragma once

#include <string>

#include "cuseq/layer.h"
#include "cuseq/ops.h"
#include "layers/detail/layer_config_values.h"

namespace cuseq::detail {

// Options: DenseOptions or Conv1DOptions (members of the same names).
template <class Options>
void read_kernel_layer_options(const LayerConfig& config, const std::string& type,
                               Options& options) {
  options.activation = config_string(config, "activation", type);
  options.use_bias = config_bool(config, "use_bias", type);
  options.kernel_regularizer = config_regularizer(config, "kernel_regularizer", type);
  options.bias_regularizer = config_regularizer(config, "bias_regularizer", type);
  options.activity_regularizer = config_regularizer(config, "activity_regularizer", type);
}

// Adds the five options to `config`, which holds the layer's own ones.
inline LayerConfig with_kernel_layer_options(LayerConfig config, Activation activation,
                                             bool use_bias, const Regularizer& kernel,
                                             const Regularizer& bias, const Regularizer& activity) {
  config["activation"] = activation_name(activation);
  config["use_bias"] = format_bool(use_bias);
  config["kernel_regularizer"] = format_regularizer(kernel);
  config["bias_regularizer"] = format_regularizer(bias);
  config["activity_regularizer"] = format_regularizer(activity);
  return config;
}

}  // namespace cuseq::detail
