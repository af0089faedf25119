#include "cuseq/layer.h"

#include <map>
#include <mutex>

#include "cuseq/error.h"
#include "layers/detail/parameter_budget.h"

namespace cuseq {

Regularizer l1(double factor) { return Regularizer{factor, 0.0}; }
Regularizer l2(double factor) { return Regularizer{0.0, factor}; }
Regularizer l1_l2(double l1_factor, double l2_factor) { return Regularizer{l1_factor, l2_factor}; }

std::string unique_layer_name(const std::string& prefix) {
  static std::mutex mutex;
  static std::map<std::string, int> counts;
  std::lock_guard<std::mutex> lock(mutex);
  const int count = counts[prefix]++;
  return count == 0 ? prefix : prefix + "_" + std::to_string(count);
}

namespace {

std::map<std::string, LayerFactory>& layer_factories() {
  static std::map<std::string, LayerFactory> factories;
  return factories;
}

}  // namespace

void register_layer_type(const std::string& type, LayerFactory factory) {
  layer_factories()[type] = std::move(factory);
}

std::unique_ptr<Layer> create_layer(const std::string& type, const std::string& name,
                                    const LayerConfig& config) {
  const auto found = layer_factories().find(type);
  check(found != layer_factories().end(), "create_layer", "unknown layer type \"", type,
        "\" (the file may come from a newer cuseq)");
  return found->second(name, config);
}

Layer::Layer(std::string name) : name_(std::move(name)) {}
Layer::~Layer() = default;

void Layer::build(const Shape& input_shape, DType dtype, Device device, Generator& generator) {
  check(!built_ || input_shape == input_shape_, name_, "already built for inputs of shape ",
        input_shape_, ", got ", input_shape);
  if (built_) return;
  check(dtype == DType::float32 || dtype == DType::float64, name_,
        "layers compute in float32 or float64, got ", dtype_name(dtype));
  input_shape_ = input_shape;
  dtype_ = dtype;
  device_ = device;
  try {
    build_weights(input_shape, generator);
  } catch (const Error& error) {
    parameters_.clear();  // unbuilt again, with none of the weights made so far
    // A shape too large to count, say, is an error of this layer: name it.
    const std::string message = error.what();
    if (message.rfind(name_ + ":", 0) == 0) throw;
    fail(name_, message);
  }
  built_ = true;
}

Tensor Layer::output_mask(const Tensor&, const Tensor&) const { return Tensor(); }

Parameter& Layer::add_parameter(const std::string& name, const Shape& shape,
                                Regularizer regularizer) {
  detail::ParameterBudget::charge(name_, name, shape, dtype_);
  auto parameter = std::make_unique<Parameter>();
  parameter->name = name;
  try {
    parameter->value = Tensor::zeros(shape, dtype_, device_);
    parameter->grad = Tensor::zeros(shape, dtype_, device_);
  } catch (const Error& error) {
    fail(name_, "cannot create weight ", name, ": ", error.what());
  }
  parameter->regularizer = regularizer;
  parameters_.push_back(std::move(parameter));
  return *parameters_.back();
}

std::vector<Parameter*> Layer::parameters() {
  std::vector<Parameter*> result;
  for (auto& parameter : parameters_) result.push_back(parameter.get());
  return result;
}

std::vector<const Parameter*> Layer::parameters() const {
  std::vector<const Parameter*> result;
  for (const auto& parameter : parameters_) result.push_back(parameter.get());
  return result;
}

void Layer::zero_grad() {
  for (auto& parameter : parameters_) parameter->grad.zero();
}

std::int64_t Layer::count_params() const {
  std::int64_t count = 0;
  for (const auto& parameter : parameters_) count += parameter->value.numel();
  return count;
}

std::vector<Tensor> Layer::get_weights() const {
  require_built();
  std::vector<Tensor> weights;
  for (const auto& parameter : parameters_)
    weights.push_back(parameter->value.to(Device::cpu()).clone());
  return weights;
}

void Layer::set_weights(const std::vector<Tensor>& weights) {
  require_built();
  check(weights.size() == parameters_.size(), name_, "set_weights expected ", parameters_.size(),
        " arrays, got ", weights.size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    Parameter& parameter = *parameters_[i];
    check_shape(weights[i], parameter.value.shape(), name_ + ".set_weights", parameter.name);
    check_dtype(weights[i], parameter.value.dtype(), name_ + ".set_weights", parameter.name);
  }
  for (std::size_t i = 0; i < weights.size(); ++i) parameters_[i]->value.copy_from(weights[i]);
}

void Layer::require_built() const {
  check(built_, name_,
        "the layer is not built yet: add it to a model and build it, or call it once");
}

}  // namespace cuseq
