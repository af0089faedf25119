#include "layers/keras/keras_layers.h"

#include <algorithm>
#include <map>
#include <regex>

#include "cuseq/bidirectional.h"
#include "cuseq/error.h"
#include "cuseq/recurrent.h"
#include "layers/detail/layer_config_values.h"

namespace cuseq::detail {
namespace {

// How one option reads and writes: Keras' JSON value <-> cuseq's config text.
enum class Kind {
  integer,      // 5
  tuple,        // [5] or 5 (Keras' 1-D kernel_size, strides, ...)
  number,       // 0.25
  boolean,      // true
  text,         // "valid"
  activation,   // "relu" (a serialized function object is not supported)
  regularizer,  // null or {"class_name": "L1L2" | "L1" | "L2", "config": {...}}
  optional,     // an integer or null (seeds, input_length)
};

struct Option {
  const char* key;
  Kind kind;
  const char* default_text;  // cuseq's text when Keras' config omits the key; null: required
  bool saved = true;         // written by save_keras (input_length is not: Keras 3 dropped it)
};

// An option cuseq does not have, accepted only at one of these JSON values.
struct Fixed {
  const char* key;
  std::vector<Json> allowed;  // the first is what save_keras writes
  bool written = true;        // false: older or newer Keras versions have it, 3.15 does not
};

struct Schema {
  std::vector<Option> options;
  std::vector<Fixed> fixed;
};

const std::vector<Fixed> kNoConstraints = {{"kernel_constraint", {nullptr}},
                                           {"bias_constraint", {nullptr}},
                                           {"lora_rank", {nullptr}, false}};

std::vector<Option> recurrent_options(const std::string& type) {
  std::vector<Option> options = {{"units", Kind::integer, nullptr},
                                 {"activation", Kind::activation, "tanh"},
                                 {"use_bias", Kind::boolean, "true"},
                                 {"return_sequences", Kind::boolean, "false"},
                                 {"return_state", Kind::boolean, "false"},
                                 {"go_backwards", Kind::boolean, "false"},
                                 {"stateful", Kind::boolean, "false"},
                                 {"dropout", Kind::number, "0"},
                                 {"recurrent_dropout", Kind::number, "0"},
                                 {"kernel_regularizer", Kind::regularizer, ""},
                                 {"recurrent_regularizer", Kind::regularizer, ""},
                                 {"bias_regularizer", Kind::regularizer, ""},
                                 {"activity_regularizer", Kind::regularizer, ""},
                                 {"seed", Kind::optional, "None"}};
  if (type != "SimpleRNN") options.push_back({"recurrent_activation", Kind::activation, "sigmoid"});
  if (type == "LSTM") options.push_back({"unit_forget_bias", Kind::boolean, "true"});
  return options;
}

const std::vector<Fixed> kRecurrentFixed = {{"kernel_constraint", {nullptr}},
                                            {"recurrent_constraint", {nullptr}},
                                            {"bias_constraint", {nullptr}},
                                            {"time_major", {false}, false}};

// Keras' kernel layers' options after their own ones (Dense, Conv1D; see
// layers/detail/kernel_layer_options.h).
std::vector<Option> with_kernel_layer_options(std::vector<Option> options) {
  options.insert(options.end(), {{"activation", Kind::activation, "linear"},
                                 {"use_bias", Kind::boolean, "true"},
                                 {"kernel_regularizer", Kind::regularizer, ""},
                                 {"bias_regularizer", Kind::regularizer, ""},
                                 {"activity_regularizer", Kind::regularizer, ""}});
  return options;
}

const Schema* schema_for(const std::string& type) {
  static const std::map<std::string, Schema> schemas = [] {
    std::map<std::string, Schema> s;
    s["Dense"] = {with_kernel_layer_options({{"units", Kind::integer, nullptr}}), kNoConstraints};
    Schema conv{with_kernel_layer_options({{"filters", Kind::integer, nullptr},
                                           {"kernel_size", Kind::tuple, nullptr},
                                           {"strides", Kind::tuple, "1"},
                                           {"padding", Kind::text, "valid"},
                                           {"dilation_rate", Kind::tuple, "1"}}),
                kNoConstraints};
    conv.fixed.push_back({"data_format", {"channels_last"}});
    conv.fixed.push_back({"groups", {1}});
    s["Conv1D"] = conv;
    s["Embedding"] = {{{"input_dim", Kind::integer, nullptr},
                       {"output_dim", Kind::integer, nullptr},
                       {"input_length", Kind::optional, "None", false},
                       {"mask_zero", Kind::boolean, "false"},
                       {"embeddings_regularizer", Kind::regularizer, ""}},
                      {{"embeddings_constraint", {nullptr}},
                       {"sparse", {false}, false},
                       {"lora_rank", {nullptr}, false}}};
    for (const char* type : {"SimpleRNN", "LSTM", "GRU"}) {
      s[type] = {recurrent_options(type), kRecurrentFixed};
    }
    s["GRU"].fixed.push_back({"reset_after", {true}});
    const Schema windowed{{{"pool_size", Kind::tuple, "2"},
                           {"strides", Kind::tuple, nullptr},
                           {"padding", Kind::text, "valid"}},
                          {{"data_format", {"channels_last"}}}};
    s["MaxPooling1D"] = windowed;
    s["AveragePooling1D"] = windowed;
    const Schema global{{}, {{"data_format", {"channels_last"}}, {"keepdims", {false}}}};
    s["GlobalMaxPooling1D"] = global;
    s["GlobalAveragePooling1D"] = global;
    s["Dropout"] = {{{"rate", Kind::number, nullptr}, {"seed", Kind::optional, "None"}},
                    {{"noise_shape", {nullptr}}}};
    s["Flatten"] = {{}, {{"data_format", {nullptr, "channels_last"}}}};
    s["Activation"] = {{{"activation", Kind::activation, nullptr}}, {}};
    s["Bidirectional"] = {{{"merge_mode", Kind::text, "concat"}}, {}};
    return s;
  }();
  const auto found = schemas.find(type);
  return found == schemas.end() ? nullptr : &found->second;
}

std::string supported_types() {
  return "Embedding, Dense, Conv1D, SimpleRNN, LSTM, GRU, Bidirectional, MaxPooling1D, "
         "AveragePooling1D, GlobalMaxPooling1D, GlobalAveragePooling1D, Dropout, Flatten, "
         "Activation";
}

// Keys every layer has, or that only steer how Keras runs or initializes.
bool ignored_key(const std::string& key) {
  static const char* const kIgnored[] = {"name",
                                         "trainable",
                                         "dtype",
                                         "unroll",
                                         "implementation",
                                         "use_cudnn",
                                         "zero_output_for_mask",
                                         "layer",
                                         "backward_layer",
                                         "activity_regularizer",
                                         "batch_input_shape",
                                         "input_shape"};
  for (const char* ignored : kIgnored) {
    if (key == ignored) return true;
  }
  const std::string suffix = "_initializer";
  return key.size() > suffix.size() &&
         key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Errors name the layer as Keras shows it: "dense_1" (Dense).
std::string describe(const Json& entry) {
  const Json& config = entry.value("config", Json::object());
  return "\"" + config.value("name", std::string("?")) + "\" (" +
         entry.value("class_name", std::string("?")) + ")";
}

[[noreturn]] void unsupported(const std::string& layer, const std::string& key, const Json& value,
                              const std::string& supported) {
  fail("load_keras", "layer ", layer, ": ", key, "=", value.dump(), " is not supported", supported);
}

double regularizer_factor(const Json& config, const char* key, const std::string& layer) {
  const Json& value = config.value(key, Json(0.0));
  check(value.is_number(), "load_keras", "layer ", layer, ": regularizer factor ", key, "=",
        value.dump(), " is not a number");
  return value.get<double>();
}

std::string regularizer_text(const Json& value, const std::string& key, const std::string& layer) {
  if (value.is_null()) return "";
  const std::string type = value.is_object() ? value.value("class_name", std::string()) : "";
  if (type != "L1L2" && type != "L1" && type != "L2") {
    unsupported(layer, key, value, " (cuseq has the regularizers L1, L2 and L1L2)");
  }
  const Json& config = value.value("config", Json::object());
  Regularizer regularizer;
  if (type != "L2") regularizer.l1 = regularizer_factor(config, "l1", layer);
  if (type != "L1") regularizer.l2 = regularizer_factor(config, "l2", layer);
  return format_regularizer(regularizer);
}

// Keras' JSON value of one option as cuseq's config text.
std::string option_text(const Option& option, const Json& value, const std::string& layer) {
  const auto expect = [&](bool ok, const char* what) {
    if (!ok) {
      fail("load_keras", "layer ", layer, ": ", option.key, "=", value.dump(), " is not ", what);
    }
  };
  switch (option.kind) {
    case Kind::integer:
      expect(value.is_number_integer(), "an integer");
      return std::to_string(value.get<std::int64_t>());
    case Kind::tuple: {
      const Json& single = value.is_array() && value.size() == 1 ? value[0] : value;
      expect(single.is_number_integer(), "an integer or a list of one");
      return std::to_string(single.get<std::int64_t>());
    }
    case Kind::number:
      expect(value.is_number(), "a number");
      return format_double(value.get<double>());
    case Kind::boolean:
      expect(value.is_boolean(), "true or false");
      return format_bool(value.get<bool>());
    case Kind::text:
      expect(value.is_string(), "a string");
      return value.get<std::string>();
    case Kind::activation: {
      expect(value.is_string(), "an activation name");
      const std::string name = value.get<std::string>();
      try {
        activation_from_name(name);
      } catch (const Error&) {
        unsupported(layer, option.key, value,
                    " (cuseq has the activations linear, relu, sigmoid, tanh, softmax)");
      }
      return name;
    }
    case Kind::regularizer:
      return regularizer_text(value, option.key, layer);
    case Kind::optional:
      if (value.is_null()) return "None";
      expect(value.is_number_integer(), "an integer or null");
      return std::to_string(value.get<std::int64_t>());
  }
  return "";
}

// cuseq's config text of one option as Keras' JSON value.
Json option_json(const Option& option, const std::string& text) {
  const LayerConfig single{{option.key, text}};
  switch (option.kind) {
    case Kind::integer:
      return config_int(single, option.key, "save_keras");
    case Kind::tuple:
      return Json::array({config_int(single, option.key, "save_keras")});
    case Kind::number:
      return config_double(single, option.key, "save_keras");
    case Kind::boolean:
      return config_bool(single, option.key, "save_keras");
    case Kind::text:
    case Kind::activation:
      return text;
    case Kind::regularizer: {
      const Regularizer regularizer = config_regularizer(single, option.key, "save_keras");
      if (!regularizer.active()) return nullptr;
      return {{"module", "keras.regularizers"},
              {"class_name", "L1L2"},
              {"config", {{"l1", regularizer.l1}, {"l2", regularizer.l2}}},
              {"registered_name", nullptr}};
    }
    case Kind::optional: {
      const std::optional<std::int64_t> value =
          config_optional_int(single, option.key, "save_keras");
      return value ? Json(*value) : Json(nullptr);
    }
  }
  return nullptr;
}

// Checks every key of a Keras config against the schema; returns cuseq's config.
LayerConfig cuseq_config(const std::string& type, const Schema& schema, const Json& config,
                         const std::string& layer) {
  LayerConfig result;
  for (const Option& option : schema.options) {
    if (config.contains(option.key)) {
      result[option.key] = option_text(option, config.at(option.key), layer);
    } else {
      check(option.default_text != nullptr, "load_keras", "layer ", layer, ": the config lacks \"",
            option.key, "\"");
      result[option.key] = option.default_text;
    }
  }
  for (const Fixed& fixed : schema.fixed) {
    if (!config.contains(fixed.key)) continue;
    const Json& value = config.at(fixed.key);
    bool allowed = false;
    for (const Json& candidate : fixed.allowed) allowed = allowed || value == candidate;
    if (!allowed)
      unsupported(layer, fixed.key, value, " (cuseq supports " + fixed.allowed[0].dump() + ")");
  }
  for (const auto& item : config.items()) {
    // Named copies, not a structured binding: C++17 lambdas cannot capture bindings.
    const std::string& key = item.key();
    const Json& value = item.value();
    const bool known = ignored_key(key) ||
                       std::any_of(schema.options.begin(), schema.options.end(),
                                   [&](const Option& o) { return key == o.key; }) ||
                       std::any_of(schema.fixed.begin(), schema.fixed.end(),
                                   [&](const Fixed& f) { return key == f.key; });
    if (!known && !value.is_null() && value != false) {
      unsupported(layer, key, value, " (cuseq's " + type + " has no such option)");
    }
  }
  return result;
}

// Keras 3 writes the backward layer even when it is the default one (the
// forward layer's config run the other way); cuseq's config keeps it only
// when it differs.
void drop_default_backward_layer(LayerConfig& config) {
  LayerConfig forward, backward;
  for (const auto& [key, value] : config) {
    if (key.rfind("layer", 0) == 0) forward[key.substr(5)] = value;
    if (key.rfind("backward_layer", 0) == 0) backward[key.substr(14)] = value;
  }
  const auto flipped = forward.find(".go_backwards");
  if (flipped == forward.end()) return;
  flipped->second = flipped->second == "true" ? "false" : "true";
  if (forward != backward) return;
  for (auto it = config.begin(); it != config.end();) {
    it = it->first.rfind("backward_layer", 0) == 0 ? config.erase(it) : std::next(it);
  }
}

void add_nested(LayerConfig& config, const std::string& prefix, const Json& entry) {
  std::unique_ptr<Layer> layer = layer_from_keras(entry);
  check(dynamic_cast<Recurrent*>(layer.get()) != nullptr, "load_keras", "Bidirectional wraps ",
        describe(entry), "; cuseq wraps SimpleRNN, LSTM and GRU");
  config[prefix] = layer->type();
  for (const auto& [key, value] : layer->config()) config[prefix + "." + key] = value;
}

}  // namespace

std::string keras_float_dtype(const Json& dtype, const std::string& where) {
  const Json name =
      dtype.is_object() ? dtype.value("config", Json::object()).value("name", Json()) : dtype;
  if (name.is_null()) return "float32";
  check(name == "float32" || name == "float64", "load_keras", where, ": dtype ", name.dump(),
        " is not supported (cuseq layers compute in float32 or float64)");
  return name.get<std::string>();
}

std::unique_ptr<Layer> layer_from_keras(const Json& entry) {
  check(entry.is_object() && entry.contains("class_name") && entry["class_name"].is_string(),
        "load_keras", "a layer entry without a class_name: ", entry.dump().substr(0, 200));
  const std::string type = entry["class_name"].get<std::string>();
  const std::string layer = describe(entry);
  const Schema* schema = schema_for(type);
  check(schema != nullptr, "load_keras", "layer ", layer, ": cuseq has no ", type,
        " layer (it reads ", supported_types(), ")");
  const Json& config = entry.value("config", Json::object());
  LayerConfig translated = cuseq_config(type, *schema, config, layer);
  if ((type == "MaxPooling1D" || type == "AveragePooling1D") &&
      (!config.contains("strides") || config["strides"].is_null())) {
    translated["strides"] = translated["pool_size"];  // Keras: strides None means pool_size
  }
  if (type == "Bidirectional") {
    check(config.contains("layer"), "load_keras", "layer ", layer, ": the config lacks \"layer\"");
    add_nested(translated, "layer", config["layer"]);
    if (config.contains("backward_layer") && !config["backward_layer"].is_null()) {
      add_nested(translated, "backward_layer", config["backward_layer"]);
      drop_default_backward_layer(translated);
    }
  }
  std::unique_ptr<Layer> result =
      create_layer(type, config.value("name", std::string()), translated);
  if (config.contains("activity_regularizer")) {  // any Keras layer may have one
    const LayerConfig single{
        {"a", regularizer_text(config["activity_regularizer"], "activity_regularizer", layer)}};
    result->activity_regularizer = config_regularizer(single, "a", "load_keras");
  }
  result->trainable = config.value("trainable", true);
  return result;
}

Json keras_entry(const Layer& layer, const Shape& input_shape, const std::string& dtype_name) {
  const std::string type = layer.type();
  const Schema* schema = schema_for(type);
  check(schema != nullptr, "save_keras", "layer \"", layer.name(), "\" (", type,
        ") has no Keras counterpart cuseq can write");
  const LayerConfig own = layer.config();
  Json config = {{"name", layer.name()},
                 {"trainable", layer.trainable},
                 {"dtype",
                  {{"module", "keras"},
                   {"class_name", "DTypePolicy"},
                   {"config", {{"name", dtype_name}}},
                   {"registered_name", nullptr}}}};
  for (const Option& option : schema->options) {
    if (option.saved) config[option.key] = option_json(option, own.at(option.key));
  }
  for (const Fixed& fixed : schema->fixed) {
    if (fixed.written) config[fixed.key] = fixed.allowed[0];
  }
  if (layer.activity_regularizer.active()) {
    config["activity_regularizer"] = option_json({"activity_regularizer", Kind::regularizer, ""},
                                                 format_regularizer(layer.activity_regularizer));
  }
  if (const auto* bidirectional = dynamic_cast<const Bidirectional*>(&layer)) {
    // Keras names the directions forward_<name> and backward_<name>.
    Json forward = keras_entry(bidirectional->forward_layer(), input_shape, dtype_name);
    forward["config"]["name"] = "forward_" + bidirectional->forward_layer().name();
    Json backward = keras_entry(bidirectional->backward_layer(), input_shape, dtype_name);
    const std::string& name = bidirectional->backward_layer().name();
    if (name.rfind("backward_", 0) != 0) backward["config"]["name"] = "backward_" + name;
    config["layer"] = forward;
    config["backward_layer"] = backward;
  }
  Json batch_shape = Json::array({nullptr});
  for (const std::int64_t extent : input_shape.dims()) batch_shape.push_back(extent);
  return {{"module", "keras.layers"},
          {"class_name", type},
          {"config", config},
          {"registered_name", nullptr},
          {"build_config", {{"input_shape", batch_shape}}}};
}

std::string keras_snake_case(const std::string& class_name) {
  std::string name = std::regex_replace(class_name, std::regex("[^A-Za-z0-9_]+"), "");
  name = std::regex_replace(name, std::regex("(.)([A-Z][a-z]+)"), "$1_$2");
  name = std::regex_replace(name, std::regex("([a-z])([A-Z])"), "$1_$2");
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::vector<std::pair<std::string, std::size_t>> keras_weight_groups(const Layer& layer,
                                                                     const std::string& path) {
  const std::size_t count = layer.get_weights().size();
  if (dynamic_cast<const Recurrent*>(&layer)) return {{path + "/cell", count}};
  if (dynamic_cast<const Bidirectional*>(&layer)) {
    return {{path + "/forward_layer/cell", count / 2}, {path + "/backward_layer/cell", count / 2}};
  }
  return {{path, count}};
}

}  // namespace cuseq::detail
