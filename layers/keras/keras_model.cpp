// load_keras / save_keras and the .weights.h5 files: config.json <-> the
// layer stack (keras_layers.h), model.weights.h5 <-> the weights
// (hdf5_weights.h), the .keras zip (zip_archive.h).
#include <ctime>
#include <map>

#include "cuseq/keras.h"
#include "layers/detail/layer_config_values.h"
#include "layers/io/atomic_file.h"
#include "layers/io/read_file.h"
#include "layers/keras/hdf5_weights.h"
#include "layers/keras/keras_layers.h"
#include "layers/keras/zip_archive.h"

namespace cuseq {
namespace {

using detail::Json;

// The Keras release whose format save_keras writes (Keras 3 reads its own minor versions).
constexpr const char* kKerasVersion = "3.15.1";

Json parse_json(const std::string& text, const std::string& what, const std::string& source) {
  try {
    return Json::parse(text);
  } catch (const Json::exception& error) {
    fail("load_keras", "\"", source, "\": ", what, " is not valid JSON: ", error.what());
  }
}

// "layers/<snake_case class name>" with "_1", "_2" for repeats, as Keras'
// saving_lib names the entries of a model's layer list.
std::vector<std::string> weight_paths(const Sequential& model) {
  std::map<std::string, int> used;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < model.size(); ++i) {
    std::string name = detail::keras_snake_case(model.layer(i).type());
    const auto [found, inserted] = used.try_emplace(name, 0);
    if (!inserted) name += "_" + std::to_string(++found->second);
    paths.push_back("layers/" + name);
  }
  return paths;
}

void read_weights(Sequential& model, const std::string& bytes, const std::string& source) {
  const detail::H5WeightsReader reader(bytes, source);
  const std::vector<std::string> paths = weight_paths(model);
  std::vector<std::vector<Tensor>> weights;
  for (std::size_t i = 0; i < model.size(); ++i) {
    const Layer& layer = model.layer(i);
    std::vector<Shape> shapes;
    for (const Parameter* parameter : layer.parameters())
      shapes.push_back(parameter->value.shape());
    std::vector<Tensor> values;
    std::size_t next = 0;
    for (const auto& [group, count] : detail::keras_weight_groups(layer, paths[i])) {
      const std::vector<Shape> part(shapes.begin() + next, shapes.begin() + next + count);
      for (Tensor& value : reader.read(group, part, model.dtype())) values.push_back(value);
      next += count;
    }
    weights.push_back(std::move(values));
  }
  model.set_weights(weights);
}

std::string weights_file(const Sequential& model) {
  detail::H5WeightsWriter writer;
  writer.write("", {});
  const std::vector<std::string> paths = weight_paths(model);
  for (std::size_t i = 0; i < model.size(); ++i) {
    const Layer& layer = model.layer(i);
    const std::vector<Tensor> values = layer.get_weights();
    // Keras has a vars group for every layer and wrapped layer, with or without weights.
    writer.write(paths[i], {});
    std::size_t next = 0;
    for (const auto& [group, count] : detail::keras_weight_groups(layer, paths[i])) {
      const std::string owner = group.substr(0, group.rfind('/'));
      if (owner != paths[i] && group != paths[i]) writer.write(owner, {});  // forward_layer, ...
      writer.write(group,
                   std::vector<Tensor>(values.begin() + next, values.begin() + next + count));
      next += count;
    }
  }
  return writer.bytes();
}

// The layer entries of a Sequential, or of a functional model whose layers
// form one chain from its input to its output, without the input layer; and
// the input layer's entry (null when there is none).
std::pair<std::vector<Json>, Json> layer_chain(const Json& model, const std::string& source) {
  const std::string type = model.value("class_name", std::string());
  const Json& config = model.value("config", Json::object());
  const Json& layers = config.value("layers", Json::array());
  check(layers.is_array() && !layers.empty(), "load_keras", "\"", source,
        "\": config.json lists no layers");
  std::vector<Json> chain;
  Json input = nullptr;
  if (type == "Sequential") {
    for (const Json& entry : layers) {
      if (entry.value("class_name", std::string()) == "InputLayer") {
        input = entry;
      } else {
        chain.push_back(entry);
      }
    }
    return {chain, input};
  }
  check(type == "Functional" || type == "Model", "load_keras", "\"", source, "\" holds a ", type,
        " model; cuseq reads Sequential models and functional chains");
  // Functional: follow each layer's single inbound tensor from the input layer on.
  std::map<std::string, const Json*> by_name;
  std::map<std::string, std::string> consumer_of;  // producer name -> the layer fed by it
  for (const Json& entry : layers) {
    const std::string name = entry.value("name", std::string());
    by_name[name] = &entry;
    const Json& nodes = entry.value("inbound_nodes", Json::array());
    if (entry.value("class_name", std::string()) == "InputLayer") continue;
    check(nodes.size() == 1 && nodes[0].value("args", Json::array()).size() == 1, "load_keras",
          "\"", source, "\": layer \"", name,
          "\" is called more than once or on several inputs; cuseq reads functional models "
          "that are one chain of layers");
    const Json& history =
        nodes[0]["args"][0].value("config", Json::object()).value("keras_history", Json());
    check(history.is_array() && !history.empty() && history[0].is_string(), "load_keras", "\"",
          source, "\": layer \"", name, "\" has an inbound node cuseq cannot follow");
    const std::string producer = history[0].get<std::string>();
    const auto [earlier, first] = consumer_of.try_emplace(producer, name);
    check(first, "load_keras", "\"", source, "\": layer \"", producer, "\" feeds both \"",
          earlier->second, "\" and \"", name,
          "\"; cuseq reads functional models that are one chain of layers");
  }
  const Json& inputs = config.value("input_layers", Json::array());
  const Json& outputs = config.value("output_layers", Json::array());
  const auto first_name = [](const Json& list) {
    const Json& first = list.is_array() && !list.empty() && list[0].is_array() ? list[0] : list;
    return first.is_array() && !first.empty() && first[0].is_string() ? first[0].get<std::string>()
                                                                      : std::string();
  };
  std::string at = first_name(inputs);
  const std::string output = first_name(outputs);
  check(by_name.count(at) != 0 && by_name.count(output) != 0, "load_keras", "\"", source,
        "\": the functional model's input or output layer is missing");
  const auto count = [](const Json& list) {
    return list.is_array() && !list.empty() && list[0].is_array() ? list.size() : std::size_t{1};
  };
  check(count(inputs) == 1 && count(outputs) == 1, "load_keras", "\"", source,
        "\": the functional model has several inputs or outputs; cuseq reads "
        "one-input, one-output chains");
  input = *by_name[at];
  while (at != output) {
    check(consumer_of.count(at) != 0, "load_keras", "\"", source, "\": nothing follows layer \"",
          at, "\" on the way to the output \"", output, "\"");
    at = consumer_of[at];
    chain.push_back(*by_name[at]);
  }
  check(chain.size() + 1 == layers.size(), "load_keras", "\"", source,
        "\": ", layers.size() - 1 - chain.size(),
        " layers are not on the chain from the input to the output; cuseq reads one chain");
  return {chain, input};
}

// The input shape without the batch axis, from the input layer or the model's build config.
Shape input_shape_of(const Json& model, const Json& input, const std::string& source) {
  Json batch_shape;
  if (!input.is_null()) {
    const Json& config = input.value("config", Json::object());
    batch_shape = config.contains("batch_shape") ? config["batch_shape"]
                                                 : config.value("batch_input_shape", Json());
  } else {
    batch_shape = model.value("config", Json::object()).value("build_input_shape", Json());
  }
  check(batch_shape.is_array() && !batch_shape.empty(), "load_keras", "\"", source,
        "\": the model has no input shape (no input layer or build_input_shape)");
  std::vector<std::int64_t> dims;
  for (std::size_t i = 1; i < batch_shape.size(); ++i) {
    check(batch_shape[i].is_number_integer() && batch_shape[i].get<std::int64_t>() > 0,
          "load_keras", "\"", source, "\": the input shape ", batch_shape.dump(),
          " has an unknown extent; cuseq builds a model for one input shape");
    dims.push_back(batch_shape[i].get<std::int64_t>());
  }
  return Shape(dims);
}

// Compiles `model` as the file's compile_config says, when cuseq has all of it.
void compile_like_keras(Sequential& model, const Json& compile) {
  if (!compile.is_object()) return;
  const Json& optimizer = compile.value("optimizer", Json());
  const Json& loss = compile.value("loss", Json());
  const Json& metrics = compile.value("metrics", Json::array());
  if (!optimizer.is_object() || !loss.is_string()) return;
  LayerConfig hyperparameters;
  const Json settings = optimizer.value("config", Json::object());
  for (const auto& [key, value] : settings.items()) {
    if (key == "learning_rate" || key == "rho" || key == "momentum" || key == "epsilon" ||
        key == "beta_1" || key == "beta_2" || key == "clipnorm" || key == "clipvalue") {
      if (value.is_number()) hyperparameters[key] = detail::format_double(value.get<double>());
    } else if (key == "centered" || key == "amsgrad" || key == "nesterov") {
      hyperparameters[key] = value == true ? "true" : "false";
    } else if (!value.is_null() && value != false && key != "name" && key != "ema_momentum") {
      return;  // weight decay, EMA, a schedule, ...: cuseq does not have it
    }
  }
  std::vector<std::string> names;
  for (const Json& metric : metrics.is_array() ? metrics : Json::array()) {
    if (!metric.is_string()) return;
    names.push_back(metric.get<std::string>());
  }
  try {
    model.compile(
        optimizer_from_config(optimizer.value("class_name", std::string()), hyperparameters),
        loss_from_name(loss.get<std::string>()), names);
  } catch (const Error&) {
    // Not something cuseq has: the model stays uncompiled, ready for predict().
  }
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d@%H:%M:%S", &utc);
  return text;
}

}  // namespace

bool keras_files_supported() { return true; }

Sequential load_keras(const std::string& path, Device device) {
  const detail::ZipEntries entries =
      detail::read_zip(detail::read_file_bytes(path, "load_keras"), path);
  const Json model =
      parse_json(detail::zip_entry(entries, "config.json", path), "config.json", path);
  const auto [chain, input] = layer_chain(model, path);
  const Shape input_shape = input_shape_of(model, input, path);
  std::string dtype;
  Sequential result(model.value("config", Json::object()).value("name", std::string()));
  for (const Json& entry : chain) {
    std::unique_ptr<Layer> layer = detail::layer_from_keras(entry);
    const std::string layer_dtype =
        detail::keras_float_dtype(entry.value("config", Json::object()).value("dtype", Json()),
                                  "layer \"" + layer->name() + "\"");
    check(dtype.empty() || dtype == layer_dtype, "load_keras", "\"", path,
          "\": layers compute in both ", dtype, " and ", layer_dtype,
          "; cuseq needs one dtype for the model");
    dtype = layer_dtype;
    result.add(std::move(layer));
  }
  result.build(input_shape, dtype == "float64" ? DType::float64 : DType::float32, device);
  read_weights(result, detail::zip_entry(entries, "model.weights.h5", path),
               path + ":model.weights.h5");
  compile_like_keras(result, model.value("compile_config", Json()));
  return result;
}

void save_keras(const Sequential& model, const std::string& path) {
  check(model.built(), model.name(), "save_keras() needs a built model");
  const std::string dtype = dtype_name(model.dtype());
  const bool ids = model.size() > 0 && model.layer(0).type() == "Embedding";
  Json batch_shape = Json::array({nullptr});
  for (const std::int64_t extent : model.input_shape().dims()) batch_shape.push_back(extent);
  Json layers = Json::array({{{"module", "keras.layers"},
                              {"class_name", "InputLayer"},
                              {"config",
                               {{"batch_shape", batch_shape},
                                {"dtype", ids ? "int32" : dtype},
                                {"sparse", false},
                                {"name", "input_layer"}}},
                              {"registered_name", nullptr}}});
  Shape shape = model.input_shape();
  for (std::size_t i = 0; i < model.size(); ++i) {
    const Layer& layer = model.layer(i);
    layers.push_back(detail::keras_entry(layer, shape, dtype));
    shape = layer.output_shape(shape);
  }
  const Json config = {{"module", "keras"},
                       {"class_name", "Sequential"},
                       {"config",
                        {{"name", model.name()},
                         {"trainable", true},
                         {"dtype",
                          {{"module", "keras"},
                           {"class_name", "DTypePolicy"},
                           {"config", {{"name", dtype}}},
                           {"registered_name", nullptr}}},
                         {"layers", layers},
                         {"build_input_shape", batch_shape}}},
                       {"registered_name", nullptr},
                       {"build_config", {{"input_shape", batch_shape}}}};
  const Json metadata = {{"keras_version", kKerasVersion}, {"date_saved", utc_now()}};
  detail::write_file_atomically(path, detail::write_zip({{"metadata.json", metadata.dump()},
                                                         {"config.json", config.dump()},
                                                         {"model.weights.h5", weights_file(model)}},
                                                        path));
}

void load_keras_weights(Sequential& model, const std::string& path) {
  check(model.built(), model.name(), "load_keras_weights() needs a built model");
  read_weights(model, detail::read_file_bytes(path, "load_keras_weights"), path);
}

void save_keras_weights(const Sequential& model, const std::string& path) {
  check(model.built(), model.name(), "save_keras_weights() needs a built model");
  detail::write_file_atomically(path, weights_file(model));
}

}  // namespace cuseq
