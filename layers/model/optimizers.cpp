#include "cuseq/optimizers.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "cuseq/error.h"
#include "layers/detail/layer_config_values.h"

namespace cuseq {
namespace {

std::string text(double value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

// A NaN, infinite or negative rate trains every weight to NaN without a word.
void check_rate(const std::string& optimizer, double learning_rate) {
  check(std::isfinite(learning_rate) && learning_rate >= 0, optimizer,
        "expected a finite learning_rate >= 0, got ", learning_rate);
}

// Decay factors in [0, 1) (rho, beta_1, beta_2: 1 divides by zero), momentum in [0, 1] (Keras).
void check_factor(const std::string& optimizer, const char* what, double value, bool one_allowed) {
  check(value >= 0 && (one_allowed ? value <= 1 : value < 1), optimizer, "expected ", what,
        one_allowed ? " in [0, 1]" : " in [0, 1)", ", got ", value);
}

// Reads `key` of `config` into `value` where config has it (the layers'
// readers: a number must be finite, a flag "true" or "false").
void read_number(const std::string& optimizer, const LayerConfig& config, const std::string& key,
                 double& value) {
  if (config.count(key) != 0) value = detail::config_double(config, key, optimizer);
}

void read_flag(const std::string& optimizer, const LayerConfig& config, const std::string& key,
               bool& value) {
  if (config.count(key) != 0) value = detail::config_bool(config, key, optimizer);
}

}  // namespace

Optimizer::Optimizer(double learning_rate_value) : learning_rate(learning_rate_value) {}
Optimizer::~Optimizer() = default;

LayerConfig Optimizer::config() const {
  return {{"learning_rate", text(learning_rate)},
          {"clipnorm", text(clipping.clipnorm)},
          {"clipvalue", text(clipping.clipvalue)}};
}

void Optimizer::set_config(const LayerConfig& config) {
  const LayerConfig known = this->config();
  for (const auto& entry : config) {
    check(known.count(entry.first) != 0, name(), "has no hyperparameter \"", entry.first, "\"");
  }
  read_number(name(), config, "learning_rate", learning_rate);
  read_number(name(), config, "clipnorm", clipping.clipnorm);
  read_number(name(), config, "clipvalue", clipping.clipvalue);
}

std::vector<Tensor>& Optimizer::slots_for(Parameter& parameter) {
  auto found = slots_.find(&parameter);
  if (found != slots_.end()) {
    check(found->second.size() == slot_names().size(), name(),
          "the hyperparameters changed which slots are used after the first update");
    return found->second;
  }
  std::vector<Tensor> slots;
  for (std::size_t i = 0; i < slot_names().size(); ++i) {
    slots.push_back(
        Tensor::zeros(parameter.value.shape(), parameter.value.dtype(), parameter.value.device()));
  }
  return slots_.emplace(&parameter, std::move(slots)).first->second;
}

void Optimizer::apply(const std::vector<Parameter*>& parameters) {
  check_rate(name(), learning_rate);
  const std::int64_t step = iterations_ + 1;
  for (Parameter* parameter : parameters) update(*parameter, slots_for(*parameter), step);
  iterations_ = step;
}

NamedTensors Optimizer::get_state(const std::vector<Parameter*>& parameters) const {
  NamedTensors state;
  state.emplace_back("iterations",
                     Tensor::from_vector<double>({static_cast<double>(iterations_)}, Shape{}));
  const std::vector<std::string> names = slot_names();
  for (std::size_t p = 0; p < parameters.size(); ++p) {
    const auto found = slots_.find(parameters[p]);
    if (found == slots_.end()) continue;
    for (std::size_t s = 0; s < names.size(); ++s) {
      state.emplace_back(std::to_string(p) + "/" + names[s],
                         found->second[s].to(Device::cpu()).clone());
    }
  }
  return state;
}

void Optimizer::set_state(const std::vector<Parameter*>& parameters, const NamedTensors& state) {
  check(!state.empty() && state[0].first == "iterations" && state[0].second.numel() == 1, name(),
        "optimizer state must start with \"iterations\"");
  const std::vector<std::string> names = slot_names();
  std::map<std::string, const Tensor*> by_name;
  for (const auto& [key, tensor] : state) by_name[key] = &tensor;
  check(state.size() == 1 || (!names.empty() && (state.size() - 1) % names.size() == 0), name(),
        "expected ", names.size(), " slots per parameter, got ", state.size() - 1, " slot tensors");
  for (std::size_t p = 0; p < parameters.size() && !names.empty(); ++p) {
    if (by_name.count(std::to_string(p) + "/" + names[0]) == 0) continue;
    std::vector<Tensor>& slots = slots_for(*parameters[p]);
    for (std::size_t s = 0; s < names.size(); ++s) {
      const std::string key = std::to_string(p) + "/" + names[s];
      const auto found = by_name.find(key);
      check(found != by_name.end(), name(), "optimizer state lacks slot \"", key, "\"");
      check_shape(*found->second, slots[s].shape(), name() + ".set_state", key);
      check_dtype(*found->second, slots[s].dtype(), name() + ".set_state", key);
      slots[s].copy_from(*found->second);
    }
  }
  iterations_ = static_cast<std::int64_t>(state[0].second.item());
}

SGD::SGD(double learning_rate_value, double momentum_value, bool nesterov_value)
    : Optimizer(learning_rate_value), momentum(momentum_value), nesterov(nesterov_value) {
  check_rate("SGD", learning_rate);
  check_factor("SGD", "momentum", momentum, true);
}

LayerConfig SGD::config() const {
  LayerConfig config = Optimizer::config();
  config["momentum"] = text(momentum);
  config["nesterov"] = nesterov ? "true" : "false";
  return config;
}

void SGD::set_config(const LayerConfig& config) {
  Optimizer::set_config(config);
  read_number(name(), config, "momentum", momentum);
  read_flag(name(), config, "nesterov", nesterov);
}

std::vector<std::string> SGD::slot_names() const {
  if (momentum > 0) return {"momentum"};
  return {};
}

void SGD::update(Parameter& parameter, std::vector<Tensor>& slots, std::int64_t) {
  Tensor unused;
  ops::sgd_step(SgdStep{learning_rate, momentum, nesterov}, clipping, parameter.value,
                parameter.grad, momentum > 0 ? slots[0] : unused);
}

RMSprop::RMSprop(double learning_rate_value, double rho_value, double momentum_value,
                 double epsilon_value, bool centered_value)
    : Optimizer(learning_rate_value),
      rho(rho_value),
      momentum(momentum_value),
      epsilon(epsilon_value),
      centered(centered_value) {
  check_rate("RMSprop", learning_rate);
  check_factor("RMSprop", "rho", rho, false);
  check_factor("RMSprop", "momentum", momentum, true);
}

LayerConfig RMSprop::config() const {
  LayerConfig config = Optimizer::config();
  config["rho"] = text(rho);
  config["momentum"] = text(momentum);
  config["epsilon"] = text(epsilon);
  config["centered"] = centered ? "true" : "false";
  return config;
}

void RMSprop::set_config(const LayerConfig& config) {
  Optimizer::set_config(config);
  read_number(name(), config, "rho", rho);
  read_number(name(), config, "momentum", momentum);
  read_number(name(), config, "epsilon", epsilon);
  read_flag(name(), config, "centered", centered);
}

std::vector<std::string> RMSprop::slot_names() const {
  std::vector<std::string> names = {"rms"};
  if (momentum > 0) names.push_back("momentum");
  if (centered) names.push_back("mg");
  return names;
}

void RMSprop::update(Parameter& parameter, std::vector<Tensor>& slots, std::int64_t) {
  Tensor unused;
  std::size_t next = 1;
  Tensor& mom = momentum > 0 ? slots[next++] : unused;
  Tensor& mg = centered ? slots[next++] : unused;
  ops::rmsprop_step(RmspropStep{learning_rate, rho, momentum, epsilon, centered}, clipping,
                    parameter.value, parameter.grad, slots[0], mom, mg);
}

Adam::Adam(double learning_rate_value, double beta_1_value, double beta_2_value,
           double epsilon_value, bool amsgrad_value)
    : Optimizer(learning_rate_value),
      beta_1(beta_1_value),
      beta_2(beta_2_value),
      epsilon(epsilon_value),
      amsgrad(amsgrad_value) {
  check_rate("Adam", learning_rate);
  check_factor("Adam", "beta_1", beta_1, false);
  check_factor("Adam", "beta_2", beta_2, false);
}

LayerConfig Adam::config() const {
  LayerConfig config = Optimizer::config();
  config["beta_1"] = text(beta_1);
  config["beta_2"] = text(beta_2);
  config["epsilon"] = text(epsilon);
  config["amsgrad"] = amsgrad ? "true" : "false";
  return config;
}

void Adam::set_config(const LayerConfig& config) {
  Optimizer::set_config(config);
  read_number(name(), config, "beta_1", beta_1);
  read_number(name(), config, "beta_2", beta_2);
  read_number(name(), config, "epsilon", epsilon);
  read_flag(name(), config, "amsgrad", amsgrad);
}

std::vector<std::string> Adam::slot_names() const {
  if (amsgrad) return {"m", "v", "vhat"};
  return {"m", "v"};
}

void Adam::update(Parameter& parameter, std::vector<Tensor>& slots, std::int64_t step) {
  Tensor unused;
  ops::adam_step(AdamStep{learning_rate, beta_1, beta_2, epsilon, amsgrad, step}, clipping,
                 parameter.value, parameter.grad, slots[0], slots[1], amsgrad ? slots[2] : unused);
}

std::unique_ptr<Optimizer> optimizer_from_name(const std::string& name) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "sgd") return std::make_unique<SGD>();
  if (lower == "rmsprop") return std::make_unique<RMSprop>();
  if (lower == "adam") return std::make_unique<Adam>();
  fail("optimizer", "unknown optimizer \"", name, "\"; expected sgd, rmsprop or adam");
}

std::unique_ptr<Optimizer> optimizer_from_config(const std::string& name,
                                                 const LayerConfig& config) {
  std::unique_ptr<Optimizer> optimizer = optimizer_from_name(name);
  optimizer->set_config(config);
  return optimizer;
}

}  // namespace cuseq
