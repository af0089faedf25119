// One Keras 3 layer entry of config.json ({"class_name", "config", ...}) to a
// cuseq layer and back, and where the layer's weights live in the weights file.
// The translation goes through cuseq's own LayerConfig (the registered
// factories build the layer), key by key with a schema per layer type.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cuseq/layer.h"

namespace cuseq::detail {

using Json = nlohmann::json;

// The layer for a Keras entry. A layer type cuseq lacks, or an option it does
// not support (a constraint, channels_first, groups, reset_after=False, ...),
// is a cuseq::Error naming the layer, the option and its value.
std::unique_ptr<Layer> layer_from_keras(const Json& entry);

// The Keras entry (module, class_name, config, build_config) for a built
// layer whose input shape (no batch axis) is `input_shape`.
Json keras_entry(const Layer& layer, const Shape& input_shape, const std::string& dtype_name);

// Keras' to_snake_case of a class name: "MaxPooling1D" -> "max_pooling1d",
// "SimpleRNN" -> "simple_rnn"; a layer's group in the weights file is its
// snake-case class name, "_1", "_2", ... for later layers of the same class.
std::string keras_snake_case(const std::string& class_name);

// The weight groups of `layer` stored under `path` (e.g. "layers/lstm"), each
// with how many of layer.get_weights() it holds, in order: a recurrent layer's
// weights are in "<path>/cell", a Bidirectional's in
// "<path>/forward_layer/cell" then "<path>/backward_layer/cell".
std::vector<std::pair<std::string, std::size_t>> keras_weight_groups(const Layer& layer,
                                                                     const std::string& path);

// A Keras dtype (a name or a DTypePolicy entry) as "float32" / "float64";
// other policies (mixed precision, integers) are an error naming `where`.
std::string keras_float_dtype(const Json& dtype, const std::string& where);

}  // namespace cuseq::detail
