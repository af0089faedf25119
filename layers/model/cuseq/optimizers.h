// Keras' optimizers (Keras 3 defaults and formulas): SGD, RMSprop, Adam. Each
// update is one fused kernel per parameter (cuseq/optimizer_ops.h); slots live
// on the parameter's device, created at its first update.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cuseq/export.h"
#include "cuseq/layer.h"
#include "cuseq/optimizer_ops.h"

namespace cuseq {

// A tensor with a name, e.g. a slot "3/m" or "iterations", for checkpoints.
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

class CUSEQ_API Optimizer {
 public:
  explicit Optimizer(double learning_rate);
  virtual ~Optimizer();
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // Keras' class name: "SGD", "RMSprop", "Adam".
  virtual std::string name() const = 0;
  // Hyperparameters as text (Keras' get_config()), clipping included.
  virtual LayerConfig config() const;
  // Sets the hyperparameters `config` names (keys as config() writes them;
  // those it lacks keep their values). A key this optimizer does not have, or
  // a value that is not a number, is a cuseq::Error.
  virtual void set_config(const LayerConfig& config);

  // One update of each parameter from its grad (callers pass only the
  // parameters of trainable layers).
  void apply(const std::vector<Parameter*>& parameters);
  // Updates applied so far (Keras' optimizer.iterations).
  std::int64_t iterations() const { return iterations_; }

  // Host copies of the state for `parameters` (in this order): "iterations"
  // (float64 []) and each created slot as "<index>/<slot name>".
  NamedTensors get_state(const std::vector<Parameter*>& parameters) const;
  // Restores what get_state wrote; checks names, shapes and dtypes.
  void set_state(const std::vector<Parameter*>& parameters, const NamedTensors& state);

  double learning_rate;
  GradientClipping clipping;  // Keras' clipnorm and clipvalue (0 = off)

 protected:
  // Keras' slot names in order, e.g. {"m", "v"}; each a zero tensor like the parameter.
  virtual std::vector<std::string> slot_names() const = 0;
  // One fused update of `parameter` at step iterations() + 1.
  virtual void update(Parameter& parameter, std::vector<Tensor>& slots, std::int64_t step) = 0;

 private:
  std::vector<Tensor>& slots_for(Parameter& parameter);

  std::map<const Parameter*, std::vector<Tensor>> slots_;
  std::int64_t iterations_ = 0;
};

class CUSEQ_API SGD : public Optimizer {
 public:
  explicit SGD(double learning_rate = 0.01, double momentum = 0.0, bool nesterov = false);
  std::string name() const override { return "SGD"; }
  LayerConfig config() const override;
  void set_config(const LayerConfig& config) override;
  double momentum;
  bool nesterov;

 protected:
  std::vector<std::string> slot_names() const override;
  void update(Parameter& parameter, std::vector<Tensor>& slots, std::int64_t step) override;
};

class CUSEQ_API RMSprop : public Optimizer {
 public:
  explicit RMSprop(double learning_rate = 0.001, double rho = 0.9, double momentum = 0.0,
                   double epsilon = 1e-7, bool centered = false);
  std::string name() const override { return "RMSprop"; }
  LayerConfig config() const override;
  void set_config(const LayerConfig& config) override;
  double rho, momentum, epsilon;
  bool centered;

 protected:
  std::vector<std::string> slot_names() const override;
  void update(Parameter& parameter, std::vector<Tensor>& slots, std::int64_t step) override;
};

class CUSEQ_API Adam : public Optimizer {
 public:
  explicit Adam(double learning_rate = 0.001, double beta_1 = 0.9, double beta_2 = 0.999,
                double epsilon = 1e-7, bool amsgrad = false);
  std::string name() const override { return "Adam"; }
  LayerConfig config() const override;
  void set_config(const LayerConfig& config) override;
  double beta_1, beta_2, epsilon;
  bool amsgrad;

 protected:
  std::vector<std::string> slot_names() const override;
  void update(Parameter& parameter, std::vector<Tensor>& slots, std::int64_t step) override;
};

// "sgd", "rmsprop" or "adam" (any case) with Keras' defaults.
CUSEQ_API std::unique_ptr<Optimizer> optimizer_from_name(const std::string& name);
// The optimizer `name` with the hyperparameters of `config` (what config()
// wrote; keys it lacks keep Keras' defaults). A key the optimizer does not
// have, or a value that is not a number, is a cuseq::Error.
CUSEQ_API std::unique_ptr<Optimizer> optimizer_from_config(const std::string& name,
                                                           const LayerConfig& config);

}  // namespace cuseq
