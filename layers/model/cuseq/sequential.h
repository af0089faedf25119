// Keras' Sequential model: a stack of layers with build, summary, compile,
// fit, evaluate, predict and persistence (docs/model_format.md).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cuseq/callbacks.h"
#include "cuseq/export.h"
#include "cuseq/history.h"
#include "cuseq/layer.h"
#include "cuseq/losses.h"
#include "cuseq/optimizers.h"
#include "cuseq/rng.h"

namespace cuseq {

// Keras' validation_data=(x_val, y_val): options.validation_data = {x_val, y_val}.
struct ValidationData {
  Tensor x, y;
};

// fit()'s keyword arguments, with Keras' names and defaults.
struct FitOptions {
  int epochs = 1;
  int batch_size = 32;
  // The LAST fraction of the rows (before shuffling) becomes validation data,
  // as in Keras; shuffle first (train_test_split, shuffle_rows in
  // cuseq/datasets.h) when the rows are ordered.
  double validation_split = 0.0;
  // Explicit validation data (takes precedence over validation_split).
  ValidationData validation_data;
  bool shuffle = true;
  // Keras' sample_weight: one weight per row of x ([rows] or [rows, 1]); the
  // loss of a batch becomes the mean over its rows of weight * loss.
  Tensor sample_weight;
  // Keras' class_weight: class id -> weight, turned into sample weights from
  // y (the label of a [rows, 1] target, the id of a sparse one, the argmax of
  // a one-hot one; classes not listed weigh 1). Not together with sample_weight.
  // Metrics and the validation loss stay unweighted (Keras' `metrics`).
  std::map<std::int32_t, double> class_weight;
  // 0 silent; 1 a progress bar on a terminal, else one line per epoch; 2 one line per epoch.
  int verbose = 1;
  std::vector<std::shared_ptr<Callback>> callbacks;
  // Where progress goes (std::cout when null); a stream other than std::cout
  // is never treated as a terminal.
  std::ostream* output = nullptr;
};

class CUSEQ_API Sequential {
 public:
  explicit Sequential(std::string name = "", std::uint64_t seed = 0x5eed);
  ~Sequential();
  Sequential(Sequential&&) noexcept;
  Sequential& operator=(Sequential&&) noexcept;

  const std::string& name() const { return name_; }
  Sequential& add(std::unique_ptr<Layer> layer);
  // Constructs the layer in place: model.emplace<Dense>(1, "sigmoid").
  template <class L, class... Args>
  L& emplace(Args&&... args) {
    auto layer = std::make_unique<L>(std::forward<Args>(args)...);
    L& reference = *layer;
    add(std::move(layer));
    return reference;
  }
  std::size_t size() const { return layers_.size(); }
  Layer& layer(std::size_t index) const;
  Layer& layer(const std::string& name) const;

  // input_shape without the batch axis. Weights are created of `dtype` on `device`.
  void build(const Shape& input_shape, DType dtype = DType::float32,
             Device device = default_device());
  bool built() const { return built_; }
  const Shape& input_shape() const { return input_shape_; }
  DType dtype() const { return dtype_; }
  Device device() const { return device_; }
  Generator& generator() { return generator_; }

  // Keras' model.summary() table.
  void summary(std::ostream& out) const;
  std::int64_t count_params() const;
  std::int64_t trainable_params() const;

  void compile(std::unique_ptr<Optimizer> optimizer, const Loss& loss,
               const std::vector<std::string>& metrics = {});
  void compile(const std::string& optimizer, const std::string& loss,
               const std::vector<std::string>& metrics = {});
  bool compiled() const { return optimizer_ != nullptr; }
  Optimizer& optimizer() const;
  const Loss& loss() const { return loss_; }
  const std::vector<Metric>& metrics() const { return metrics_; }

  // x: [samples, ...] (any device; batches move to the model's device).
  History fit(const Tensor& x, const Tensor& y, const FitOptions& options = {});
  // Loss (with regularization penalties, as Keras) and metrics over all rows.
  EpochLogs evaluate(const Tensor& x, const Tensor& y, int batch_size = 32);
  // Outputs for all rows, on the model's device.
  Tensor predict(const Tensor& x, int batch_size = 32);

  // Set by callbacks to end fit() after the current batch or epoch.
  bool stop_training = false;
  // Runs of consecutive recurrent layers (each but the last with
  // return_sequences, none but the first with go_backwards, no activity
  // regularizer inside the run) execute as one wavefront (RecurrentStack) with
  // chunks of recurrent_chunk_steps steps (0: automatic), unless
  // stack_recurrent_layers is false. Results are the same either way.
  bool stack_recurrent_layers = true;
  std::int64_t recurrent_chunk_steps = 0;

  // Host copies of every layer's weights, in order.
  std::vector<std::vector<Tensor>> get_weights() const;
  void set_weights(const std::vector<std::vector<Tensor>>& weights);
  // Parameters of trainable layers, in order (what the optimizer updates).
  std::vector<Parameter*> trainable_parameters() const;

  // Weights only (the model must have the same architecture to load them).
  void save_weights(const std::string& path) const;
  void load_weights(const std::string& path);
  // Architecture (layer types, names, configs, trainable flags, input shape,
  // dtype) and weights; for a compiled model also, unless include_optimizer is
  // false, the compile() settings and the optimizer's state (Keras'
  // include_optimizer), so that load_model gives a model that evaluates and
  // trains on exactly as this one would. Written atomically.
  void save(const std::string& path, bool include_optimizer = true) const;

 private:
  friend class ModelTraining;
  friend CUSEQ_API Sequential load_model(const std::string& path, Device device);

  std::string name_;
  std::vector<std::unique_ptr<Layer>> layers_;
  bool built_ = false;
  Shape input_shape_;
  DType dtype_ = DType::float32;
  Device device_ = Device::cpu();
  Generator generator_;
  std::unique_ptr<Optimizer> optimizer_;
  Loss loss_;
  std::vector<Metric> metrics_;
};

// Rebuilds a model written by save() on `device`, compiled with its optimizer
// state when the file holds them. A path ending in ".keras" is read by
// load_keras (cuseq/keras.h), as Keras' own load_model reads it.
CUSEQ_API Sequential load_model(const std::string& path, Device device = default_device());

}  // namespace cuseq
