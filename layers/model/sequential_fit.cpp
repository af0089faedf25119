// Sequential::fit: Keras' training loop (validation split from the end of the
// data, per-epoch shuffling, running means, callbacks, progress output).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <numeric>
#include <random>

#include "cuseq/datasets.h"
#include "cuseq/sequential.h"
#include "layers/model/model_training.h"
#include "layers/model/progress_bar.h"

namespace cuseq {
namespace {

// Running means weighted by batch rows, as Keras' Mean metrics accumulate.
class RunningMeans {
 public:
  explicit RunningMeans(std::size_t count) : sums_(count, 0.0) {}
  void add(const std::vector<double>& values, double weight) {
    for (std::size_t i = 0; i < values.size(); ++i) sums_[i] += weight * values[i];
    weight_ += weight;
  }
  double mean(std::size_t i) const { return weight_ == 0 ? 0.0 : sums_[i] / weight_; }

 private:
  std::vector<double> sums_;
  double weight_ = 0;
};

struct Split {
  Tensor x, y, val_x, val_y;  // on the host; val_ undefined without validation
  Tensor sample_weights;      // float64 [training rows] on the host, or undefined
};

// Keras' class_weight_to_sample_weights: the class of each row of y (rounded
// label, sparse id, or one-hot argmax) looked up, 1 where absent.
std::vector<double> class_weights_per_row(const Tensor& y,
                                          const std::map<std::int32_t, double>& class_weight) {
  const Tensor host = y.to(Device::cpu());
  const std::int64_t rows = host.dim(0), width = host.numel() / std::max<std::int64_t>(rows, 1);
  std::vector<double> values;
  if (host.dtype() == DType::int32) {
    for (const std::int32_t v : host.to_vector<std::int32_t>()) values.push_back(v);
  } else if (host.dtype() == DType::float32) {
    for (const float v : host.to_vector<float>()) values.push_back(v);
  } else {
    values = host.to_vector<double>();
  }
  std::vector<double> weights(static_cast<std::size_t>(rows), 1.0);
  for (std::int64_t r = 0; r < rows; ++r) {
    const auto first = values.begin() + r * width;
    const double label =
        width == 1 ? *first : static_cast<double>(std::max_element(first, first + width) - first);
    const auto found = class_weight.find(static_cast<std::int32_t>(std::lround(label)));
    if (found != class_weight.end()) weights[static_cast<std::size_t>(r)] = found->second;
  }
  return weights;
}

// The weight of every row of x from sample_weight or class_weight, or undefined.
Tensor sample_weights_of(const Tensor& x, const Tensor& y, const FitOptions& options,
                         const std::string& model) {
  check(!options.sample_weight.defined() || options.class_weight.empty(), model,
        "fit() takes sample_weight or class_weight, not both (as Keras)");
  if (!options.class_weight.empty()) {
    return Tensor::from_vector(class_weights_per_row(y, options.class_weight), Shape{x.dim(0)});
  }
  if (!options.sample_weight.defined()) return Tensor();
  const Tensor& w = options.sample_weight;
  check(w.numel() == x.dim(0) && (w.rank() == 1 || (w.rank() == 2 && w.dim(1) == 1)), model,
        "expected sample_weight of shape [", x.dim(0), "] (one per row of x), got ", w);
  const Tensor host = w.to(Device::cpu());
  std::vector<double> values;
  if (host.dtype() == DType::float32) {
    for (const float v : host.to_vector<float>()) values.push_back(v);
  } else {
    check(host.dtype() == DType::float64, model, "expected float sample_weight, got ", w);
    values = host.to_vector<double>();
  }
  for (std::size_t row = 0; row < values.size(); ++row) {
    check(std::isfinite(values[row]), model, "sample_weight must be finite, got ", values[row],
          " at row ", row);
  }
  return Tensor::from_vector(values, Shape{x.dim(0)});
}

Split split_data(const Tensor& x, const Tensor& y, const FitOptions& options,
                 const ModelTraining& training, const std::string& model) {
  check(x.rank() >= 1 && y.rank() >= 1 && x.dim(0) == y.dim(0), model,
        "x and y need the same number of rows, got x ", x, " and y ", y);
  check(options.validation_split >= 0 && options.validation_split < 1, model,
        "expected validation_split in [0, 1), got ", options.validation_split);
  Split split;
  const Tensor x_host = training.prepare_inputs(x), y_host = training.prepare_targets(y);
  const Tensor weights = sample_weights_of(x, y, options, model);
  const ValidationData& validation = options.validation_data;
  if (validation.x.defined() || validation.y.defined()) {
    check(validation.x.defined() && validation.y.defined(), model,
          "validation_data needs both x and y");
    split.x = x_host;
    split.y = y_host;
    split.sample_weights = weights;
    split.val_x = training.prepare_inputs(validation.x);
    split.val_y = training.prepare_targets(validation.y);
    return split;
  }
  // Keras: split_at = int(rows * (1 - validation_split)), validation = rows after it.
  const std::int64_t rows = x.dim(0);
  const auto split_at =
      static_cast<std::int64_t>(static_cast<double>(rows) * (1.0 - options.validation_split));
  split.x = x_host.slice(0, split_at);
  split.y = y_host.slice(0, split_at);
  if (weights.defined()) split.sample_weights = weights.slice(0, split_at);
  if (split_at < rows) {
    split.val_x = x_host.slice(split_at, rows);
    split.val_y = y_host.slice(split_at, rows);
  }
  return split;
}

}  // namespace

History Sequential::fit(const Tensor& x, const Tensor& y, const FitOptions& options) {
  check(compiled(), name_, "fit() needs a compiled model: call compile() first");
  check(options.epochs >= 0 && options.batch_size > 0, name_,
        "expected epochs >= 0 and batch_size > 0, got ", options.epochs, " and ",
        options.batch_size);
  ModelTraining training(*this);
  training.build_for(x);
  const Split data = split_data(x, y, options, training, name_);
  const std::int64_t rows = data.x.dim(0);
  check(rows > 0, name_, "fit() has no training rows (x ", x, ", validation_split ",
        options.validation_split, ")");
  const std::int64_t steps = (rows + options.batch_size - 1) / options.batch_size;
  const bool show_regularization = training.has_regularizers();

  std::ostream& out = options.output ? *options.output : std::cout;
  detail::ProgressBar progress(out, detail::is_terminal(out), options.verbose);
  std::mt19937_64 shuffler(generator_.seed() ^
                           (generator_.next_stream().stream * 0x9E3779B97F4A7C15ULL));
  std::vector<std::int64_t> order(static_cast<std::size_t>(rows));

  History history;
  stop_training = false;
  for (const auto& callback : options.callbacks) {
    callback->output = &out;
    callback->on_train_begin(*this);
  }
  for (int epoch = 0; epoch < options.epochs && !stop_training; ++epoch) {
    std::iota(order.begin(), order.end(), 0);
    if (options.shuffle) std::shuffle(order.begin(), order.end(), shuffler);
    for (const auto& callback : options.callbacks) callback->on_epoch_begin(epoch, *this);
    progress.begin_epoch(epoch, options.epochs, steps);
    RunningMeans means(2);  // loss, regularization
    std::vector<MetricAccumulator> metrics = training.metric_accumulators();
    const auto with_metrics = [&] {
      EpochLogs logs{{"loss", means.mean(0)}};
      for (const MetricAccumulator& metric : metrics) {
        logs.emplace_back(metric.metric().name, metric.result());
      }
      return logs;
    };
    for (std::int64_t step = 0; step < steps; ++step) {
      const auto first = order.begin() + step * options.batch_size;
      const std::vector<std::int64_t> batch(
          first,
          first + std::min<std::int64_t>(options.batch_size, rows - step * options.batch_size));
      const Tensor weights =
          data.sample_weights.defined() ? take_rows(data.sample_weights, batch) : Tensor();
      const auto [data_loss, penalty] =
          training.train_step(take_rows(data.x, batch).to(device_),
                              take_rows(data.y, batch).to(device_), weights, metrics);
      means.add({data_loss + penalty, penalty}, static_cast<double>(batch.size()));
      const EpochLogs running = with_metrics();
      progress.update(step + 1, running);
      for (const auto& callback : options.callbacks)
        callback->on_train_batch_end(static_cast<int>(step), running, *this);
      if (stop_training) break;  // Keras 3: a callback may end the epoch early
    }
    EpochLogs logs = with_metrics();
    if (show_regularization) logs.emplace_back("regularization_loss", means.mean(1));
    if (data.val_x.defined()) {
      for (const auto& [key, value] :
           training.evaluate(data.val_x, data.val_y, options.batch_size)) {
        logs.emplace_back("val_" + key, value);
      }
    }
    progress.end_epoch(logs);
    history.append(logs);
    for (const auto& callback : options.callbacks) callback->on_epoch_end(epoch, logs, *this);
  }
  for (const auto& callback : options.callbacks) callback->on_train_end(*this);
  return history;
}

}  // namespace cuseq
