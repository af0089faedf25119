// Sequential: the layer stack, build, summary, compile, evaluate and predict.
// fit() is in sequential_fit.cpp, persistence in model_file.cpp.
#include "cuseq/sequential.h"

#include <algorithm>
#include <ostream>
#include <sstream>

#include "layers/model/model_training.h"

namespace cuseq {
namespace {

// 80161 -> "80,161", as Python's "{:,}".
std::string with_thousands(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), ",");
  return value < 0 ? "-" + digits : digits;
}

// (None, 20, 8): Python's tuple text with the batch axis as None.
std::string keras_shape(const Shape& shape) {
  std::string text = "(None";
  for (const std::int64_t extent : shape.dims()) text += ", " + std::to_string(extent);
  return text + (shape.rank() == 0 ? ",)" : ")");
}

// Keras' print_row for a sequential model: columns end at 29, 55 and 65;
// each but the last keeps two spaces before the next (longer text is cut).
void print_row(std::ostream& out, const std::vector<std::string>& fields) {
  const int positions[] = {29, 55, 65};
  std::string line;
  for (std::size_t column = 0; column < fields.size(); ++column) {
    const int start = column == 0 ? 0 : positions[column - 1];
    const int space = column + 1 == fields.size() ? 0 : 2;
    if (column == 0) line += " ";
    line += fields[column].substr(0, static_cast<std::size_t>(positions[column] - start - space));
    line += std::string(static_cast<std::size_t>(space), ' ');
    if (static_cast<int>(line.size()) < positions[column]) {
      line += std::string(static_cast<std::size_t>(positions[column]) - line.size(), ' ');
    }
  }
  out << line << '\n';
}

}  // namespace

Sequential::Sequential(std::string name, std::uint64_t seed)
    : name_(name.empty() ? unique_layer_name("sequential") : std::move(name)), generator_(seed) {}
Sequential::~Sequential() = default;
Sequential::Sequential(Sequential&&) noexcept = default;
Sequential& Sequential::operator=(Sequential&&) noexcept = default;

Sequential& Sequential::add(std::unique_ptr<Layer> layer) {
  check(layer != nullptr, name_, "add() got a null layer");
  check(!built_, name_, "add \"", layer->name(), "\" before build(): the model is already built");
  for (const auto& existing : layers_) {
    check(existing->name() != layer->name(), name_, "a layer named \"", layer->name(),
          "\" is already in the model; layer names must be unique");
  }
  layers_.push_back(std::move(layer));
  return *this;
}

Layer& Sequential::layer(std::size_t index) const {
  check(index < layers_.size(), name_, "layer index ", index, " out of range: the model has ",
        layers_.size(), " layers");
  return *layers_[index];
}

Layer& Sequential::layer(const std::string& name) const {
  for (const auto& layer : layers_) {
    if (layer->name() == name) return *layer;
  }
  fail(name_, "no layer named \"", name, "\"");
}

void Sequential::build(const Shape& input_shape, DType dtype, Device device) {
  check(!layers_.empty(), name_, "build() needs at least one layer");
  if (built_) {
    check(input_shape == input_shape_, name_, "already built for inputs of shape ", input_shape_,
          ", got ", input_shape);
    return;
  }
  Shape shape = input_shape;
  for (const auto& layer : layers_) {
    layer->build(shape, dtype, device, generator_);
    shape = layer->output_shape(shape);
  }
  input_shape_ = input_shape;
  dtype_ = dtype;
  device_ = device;
  built_ = true;
}

void Sequential::summary(std::ostream& out) const {
  check(built_, name_, "summary() needs a built model: call build(input_shape) or fit() first");
  const std::string thick(65, '='), thin(65, '_'), blank(65, ' ');
  out << "Model: \"" << name_ << "\"\n" << thin << '\n';
  print_row(out, {"Layer (type)", "Output Shape", "Param #"});
  out << thick << '\n';
  Shape shape = input_shape_;
  for (const auto& layer : layers_) {
    shape = layer->output_shape(shape);
    print_row(out, {layer->name() + " (" + layer->type() + ")", keras_shape(shape),
                    std::to_string(layer->count_params())});
    out << blank << '\n';
  }
  const std::int64_t total = count_params(), trainable = trainable_params();
  out << thick << '\n'
      << "Total params: " << with_thousands(total) << '\n'
      << "Trainable params: " << with_thousands(trainable) << '\n'
      << "Non-trainable params: " << with_thousands(total - trainable) << '\n'
      << thin << '\n';
}

std::int64_t Sequential::count_params() const {
  std::int64_t total = 0;
  for (const auto& layer : layers_) total += layer->count_params();
  return total;
}

std::int64_t Sequential::trainable_params() const {
  std::int64_t total = 0;
  for (const auto& layer : layers_) total += layer->trainable ? layer->count_params() : 0;
  return total;
}

void Sequential::compile(std::unique_ptr<Optimizer> optimizer, const Loss& loss,
                         const std::vector<std::string>& metrics) {
  check(optimizer != nullptr, name_, "compile() got a null optimizer");
  std::vector<Metric> resolved;
  for (const std::string& metric : metrics) resolved.push_back(metric_from_name(metric, loss));
  optimizer_ = std::move(optimizer);
  loss_ = loss;
  metrics_ = std::move(resolved);
}

void Sequential::compile(const std::string& optimizer, const std::string& loss,
                         const std::vector<std::string>& metrics) {
  compile(optimizer_from_name(optimizer), loss_from_name(loss), metrics);
}

Optimizer& Sequential::optimizer() const {
  check(optimizer_ != nullptr, name_, "the model is not compiled: call compile() first");
  return *optimizer_;
}

std::vector<std::vector<Tensor>> Sequential::get_weights() const {
  std::vector<std::vector<Tensor>> weights;
  for (const auto& layer : layers_) weights.push_back(layer->get_weights());
  return weights;
}

void Sequential::set_weights(const std::vector<std::vector<Tensor>>& weights) {
  check(weights.size() == layers_.size(), name_, "set_weights expected weights for ",
        layers_.size(), " layers, got ", weights.size());
  for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->set_weights(weights[i]);
}

std::vector<Parameter*> Sequential::trainable_parameters() const {
  std::vector<Parameter*> parameters;
  for (const auto& layer : layers_) {
    if (!layer->trainable) continue;
    for (Parameter* parameter : layer->parameters()) parameters.push_back(parameter);
  }
  return parameters;
}

EpochLogs Sequential::evaluate(const Tensor& x, const Tensor& y, int batch_size) {
  check(compiled(), name_, "evaluate() needs a compiled model: call compile() first");
  ModelTraining training(*this);
  training.build_for(x);
  return training.evaluate(training.prepare_inputs(x), training.prepare_targets(y), batch_size);
}

Tensor Sequential::predict(const Tensor& x, int batch_size) {
  check(batch_size > 0, name_, "expected batch_size > 0, got ", batch_size);
  ModelTraining training(*this);
  training.build_for(x);
  const Tensor host = x.to(Device::cpu());
  const std::int64_t rows = host.dim(0);
  std::vector<std::int64_t> dims = {rows};
  const Shape output_shape = [&] {
    Shape shape = input_shape_;
    for (const auto& layer : layers_) shape = layer->output_shape(shape);
    return shape;
  }();
  dims.insert(dims.end(), output_shape.dims().begin(), output_shape.dims().end());
  Tensor outputs = Tensor::empty(Shape(dims), dtype_, device_);
  for (std::int64_t begin = 0; begin < rows; begin += batch_size) {
    const std::int64_t end = std::min<std::int64_t>(rows, begin + batch_size);
    Tensor batch = outputs.slice(begin, end);
    batch.copy_from(training.forward(rows_on(host, begin, end, device_), false, nullptr));
  }
  return outputs;
}

}  // namespace cuseq
