// Sequential persistence: save_weights / load_weights / save / load_model in
// the versioned binary format of docs/model_format.md.
#include "cuseq/keras.h"
#include "cuseq/sequential.h"
#include "layers/detail/parameter_budget.h"
#include "layers/io/binary_io.h"
#include "layers/io/framed_file.h"

namespace cuseq {
namespace {

using detail::ByteReader;
using detail::ByteWriter;

// Header fields after the version: u32 content kind.
constexpr detail::FileFrame kFrame{"cuseqmdl",       1,     4, "a cuseq model file",
                                   "format version", "load"};
// 3: a model with its compile() settings and optimizer state (Keras'
// include_optimizer), written for compiled models.
enum class Content : std::uint32_t { weights = 1, model = 2, trained_model = 3 };

const char* content_name(std::uint32_t content) {
  switch (content) {
    case 1:
      return "weights";
    case 2:
      return "a model";
    case 3:
      return "a model with its optimizer";
    default:
      return "unknown content";
  }
}

bool holds_model(std::uint32_t content) { return content == 2 || content == 3; }

void write_file(const std::string& path, Content content, const std::string& payload) {
  ByteWriter fields;
  fields.u32(static_cast<std::uint32_t>(content));
  detail::write_framed_file(path, kFrame, fields.bytes(), payload);
}

// Checks the header and checksum and returns the payload; *content says what it holds.
std::string read_payload(const std::string& path, Content expected, Content* content_read) {
  return detail::read_framed_file(path, kFrame, [&](ByteReader& fields) {
    const std::uint32_t content = fields.u32("the content kind");
    check(content == static_cast<std::uint32_t>(expected) ||
              (expected == Content::weights && holds_model(content)) ||
              (expected == Content::model && content == 3),
          "load", "\"", path, "\" holds ", content_name(content), ", expected ",
          content_name(static_cast<std::uint32_t>(expected)));
    *content_read = static_cast<Content>(content);
  });
}

void write_weights(ByteWriter& out, const Sequential& model) {
  out.u32(static_cast<std::uint32_t>(model.size()));
  for (std::size_t i = 0; i < model.size(); ++i) {
    const Layer& layer = model.layer(i);
    const auto parameters = layer.parameters();
    out.string(layer.name());
    out.u32(static_cast<std::uint32_t>(parameters.size()));
    for (const Parameter* parameter : parameters) {
      out.string(parameter->name);
      out.tensor(parameter->value);
    }
  }
}

// Reads every tensor first, so a mismatch leaves the model unchanged.
// `last`: nothing may follow the weights.
void read_weights(ByteReader& in, Sequential& model, bool last) {
  const std::uint32_t layers = in.u32("the layer count");
  check(layers == model.size(), "load_weights", "\"", in.source(), "\" has weights for ", layers,
        " layers, the model \"", model.name(), "\" has ", model.size());
  std::vector<std::vector<Tensor>> weights;
  for (std::size_t i = 0; i < model.size(); ++i) {
    const Layer& layer = model.layer(i);
    const std::string file_layer = in.string("a layer name");
    const std::uint32_t count = in.u32("a weight count");
    const auto parameters = layer.parameters();
    check(count == parameters.size(), "load_weights", "\"", in.source(), "\": layer ", i, " (\"",
          file_layer, "\" in the file) has ", count, " weights, the model's layer \"", layer.name(),
          "\" has ", parameters.size());
    std::vector<Tensor> values;
    for (const Parameter* parameter : parameters) {
      const std::string name = in.string("a weight name");
      Tensor value = in.tensor(file_layer + "/" + name);
      check(value.shape() == parameter->value.shape() && value.dtype() == parameter->value.dtype(),
            "load_weights", "\"", in.source(), "\": ", layer.name(), "/", parameter->name,
            " expects ", dtype_name(parameter->value.dtype()), parameter->value.shape(),
            ", the file has ", file_layer, "/", name, " ", dtype_name(value.dtype()),
            value.shape());
      values.push_back(std::move(value));
    }
    weights.push_back(std::move(values));
  }
  if (last && !in.at_end()) in.corrupt("unexpected bytes after the weights");
  model.set_weights(weights);
}

// After the weights of content 3: the optimizer's name and hyperparameters,
// the loss, the metrics, and the optimizer's state for the trainable
// parameters (Optimizer::get_state).
void write_training(ByteWriter& out, const Sequential& model) {
  const Optimizer& optimizer = model.optimizer();
  out.string(optimizer.name());
  const LayerConfig config = optimizer.config();
  out.u32(static_cast<std::uint32_t>(config.size()));
  for (const auto& [key, value] : config) {
    out.string(key);
    out.string(value);
  }
  out.string(loss_name(model.loss().kind));
  out.u8(model.loss().from_logits ? 1 : 0);
  out.u32(static_cast<std::uint32_t>(model.metrics().size()));
  for (const Metric& metric : model.metrics()) out.string(metric.name);
  const NamedTensors state = optimizer.get_state(model.trainable_parameters());
  out.u32(static_cast<std::uint32_t>(state.size()));
  for (const auto& [name, tensor] : state) {
    out.string(name);
    out.tensor(tensor);
  }
}

void read_training(ByteReader& in, Sequential& model) {
  const std::string optimizer = in.string("the optimizer name");
  LayerConfig config;
  const std::uint32_t entries = in.u32("the optimizer's hyperparameter count");
  for (std::uint32_t i = 0; i < entries; ++i) {
    std::string key = in.string("a hyperparameter name");
    config[key] = in.string("a hyperparameter value");
  }
  const std::string loss = in.string("the loss");
  const bool from_logits = in.u8("the loss' from_logits") != 0;
  // Counts are not trusted for allocation: a corrupt one runs out of payload instead.
  std::vector<std::string> metrics;
  for (std::uint32_t i = in.u32("the metric count"); i > 0; --i) {
    metrics.push_back(in.string("a metric name"));
  }
  NamedTensors state;
  for (std::uint32_t i = in.u32("the optimizer state size"); i > 0; --i) {
    std::string name = in.string("an optimizer state name");
    Tensor tensor = in.tensor("optimizer state " + name);
    state.emplace_back(std::move(name), std::move(tensor));
  }
  if (!in.at_end()) in.corrupt("unexpected bytes after the optimizer state");
  model.compile(optimizer_from_config(optimizer, config), loss_from_name(loss, from_logits),
                metrics);
  model.optimizer().set_state(model.trainable_parameters(), state);
}

struct LayerRecord {
  std::string type, name;
  bool trainable;
  LayerConfig config;
};

struct Architecture {
  std::string name;
  std::vector<std::int64_t> input_dims;
  DType dtype;
  std::vector<LayerRecord> layers;
};

Architecture read_architecture(ByteReader& in) {
  Architecture architecture;
  architecture.name = in.string("the model name");
  const std::uint32_t rank = in.u32("the input rank");
  if (rank > 16) in.corrupt("input rank " + std::to_string(rank));
  for (std::uint32_t i = 0; i < rank; ++i)
    architecture.input_dims.push_back(in.i64("an input extent"));
  architecture.dtype = detail::dtype_from_code(in.u8("the dtype"), in);
  const std::uint32_t layers = in.u32("the layer count");
  for (std::uint32_t i = 0; i < layers; ++i) {
    LayerRecord record;
    record.type = in.string("a layer type");
    record.name = in.string("a layer name");
    record.trainable = in.u8("a trainable flag") != 0;
    const std::uint32_t entries = in.u32("a config size");
    for (std::uint32_t e = 0; e < entries; ++e) {
      std::string key = in.string("a config key");
      record.config[key] = in.string("a config value");
    }
    architecture.layers.push_back(std::move(record));
  }
  return architecture;
}

}  // namespace

void Sequential::save_weights(const std::string& path) const {
  check(built_, name_, "save_weights() needs a built model");
  ByteWriter payload;
  write_weights(payload, *this);
  write_file(path, Content::weights, payload.bytes());
}

void Sequential::load_weights(const std::string& path) {
  check(built_, name_, "load_weights() needs a built model with the file's architecture");
  Content content;
  const std::string payload = read_payload(path, Content::weights, &content);
  ByteReader in(payload, path);
  const bool model_file = holds_model(static_cast<std::uint32_t>(content));
  if (model_file) read_architecture(in);  // a model file: skip to its weights
  read_weights(in, *this, content != Content::trained_model);
}

void Sequential::save(const std::string& path, bool include_optimizer) const {
  check(built_, name_, "save() needs a built model");
  ByteWriter payload;
  payload.string(name_);
  payload.u32(static_cast<std::uint32_t>(input_shape_.rank()));
  for (const std::int64_t extent : input_shape_.dims()) payload.i64(extent);
  payload.u8(detail::dtype_code(dtype_));
  payload.u32(static_cast<std::uint32_t>(layers_.size()));
  for (const auto& layer : layers_) {
    payload.string(layer->type());
    payload.string(layer->name());
    payload.u8(layer->trainable ? 1 : 0);
    const LayerConfig config = layer->config();
    payload.u32(static_cast<std::uint32_t>(config.size()));
    for (const auto& [key, value] : config) {
      payload.string(key);
      payload.string(value);
    }
  }
  write_weights(payload, *this);
  const bool training = include_optimizer && compiled();
  if (training) write_training(payload, *this);
  write_file(path, training ? Content::trained_model : Content::model, payload.bytes());
}

Sequential load_model(const std::string& path, Device device) {
  const std::string keras = ".keras";  // Keras 3's format, as keras.saving.load_model reads it
  if (path.size() > keras.size() &&
      path.compare(path.size() - keras.size(), keras.size(), keras) == 0) {
    return load_keras(path, device);
  }
  Content content;
  const std::string payload = read_payload(path, Content::model, &content);
  ByteReader in(payload, path);
  const Architecture architecture = read_architecture(in);
  Sequential model(architecture.name);
  for (const LayerRecord& record : architecture.layers) {
    std::unique_ptr<Layer> layer = create_layer(record.type, record.name, record.config);
    layer->trainable = record.trainable;
    model.add(std::move(layer));
  }
  {
    // The weights (and training state) still to come bound what the
    // architecture may allocate.
    const detail::ParameterBudget budget(payload.size() - in.position(), path);
    model.build(Shape(architecture.input_dims), architecture.dtype, device);
  }
  read_weights(in, model, content != Content::trained_model);
  if (content == Content::trained_model) read_training(in, model);
  return model;
}

}  // namespace cuseq
