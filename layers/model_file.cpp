// Sequential persistence: save_weights / load_weights / save / load_model in
// the versioned binary format of docs/model_format.md.
#include "cuseq/sequential.h"
#include "layers/detail/binary_io.h"
#include "layers/detail/framed_file.h"
#include "layers/detail/parameter_budget.h"

namespace cuseq {
namespace {

using detail::ByteReader;
using detail::ByteWriter;

// Header fields after the version: u32 content kind.
constexpr detail::FileFrame kFrame{"cuseqmdl",       1,     4, "a cuseq model file",
                                   "format version", "load"};
enum class Content : std::uint32_t { weights = 1, model = 2 };

const char* content_name(std::uint32_t content) {
  return content == 1 ? "weights" : (content == 2 ? "a model" : "unknown content");
}

void write_file(const std::string& path, Content content, const std::string& payload) {
  ByteWriter fields;
  fields.u32(static_cast<std::uint32_t>(content));
  detail::write_framed_file(path, kFrame, fields.bytes(), payload);
}

// Checks the header and checksum and returns the payload; *content says what it holds.
std::string read_payload(const std::string& path, Content expected, Content* content_read) {
  return detail::read_framed_file(path, kFrame, [&](ByteReader& fields) {
    const std::uint32_t content = fields.u32("the content kind");
    check(
        content == static_cast<std::uint32_t>(expected) ||
            (expected == Content::weights && content == static_cast<std::uint32_t>(Content::model)),
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
void read_weights(ByteReader& in, Sequential& model) {
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
            " expects ", dtype_name(parameter->value.dtype()), parameter->value.shape().str(),
            ", the file has ", file_layer, "/", name, " ", dtype_name(value.dtype()),
            value.shape().str());
      values.push_back(std::move(value));
    }
    weights.push_back(std::move(values));
  }
  if (!in.at_end()) in.corrupt("unexpected bytes after the weights");
  model.set_weights(weights);
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
  if (content == Content::model) read_architecture(in);  // a model file: skip to its weights
  read_weights(in, *this);
}

void Sequential::save(const std::string& path) const {
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
  write_file(path, Content::model, payload.bytes());
}

Sequential load_model(const std::string& path, Device device) {
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
    // The weights still to come bound what the architecture may allocate.
    const detail::ParameterBudget budget(payload.size() - in.position(), path);
    model.build(Shape(architecture.input_dims), architecture.dtype, device);
  }
  read_weights(in, model);
  return model;
}

}  // namespace cuseq
