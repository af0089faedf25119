// Sequential::fit: Keras' training loop (validation split from the end of the
// data, per-epoch shuffling, running means, callbacks, progress output).
#include <algorithm>
#include <iostream>
#include <numeric>
#include <random>

#include "cuseq/sequential.h"
#include "layers/detail/model_training.h"
#include "layers/detail/progress_bar.h"

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
};

Split split_data(const Tensor& x, const Tensor& y, const FitOptions& options,
                 const ModelTraining& training, const std::string& model) {
  check(x.rank() >= 1 && y.rank() >= 1 && x.dim(0) == y.dim(0), model,
        "x and y need the same number of rows, got x ", x.str(), " and y ", y.str());
  check(options.validation_split >= 0 && options.validation_split < 1, model,
        "expected validation_split in [0, 1), got ", options.validation_split);
  Split split;
  const Tensor x_host = training.prepare_inputs(x), y_host = training.prepare_targets(y);
  if (options.validation_x.defined() || options.validation_y.defined()) {
    check(options.validation_x.defined() && options.validation_y.defined(), model,
          "validation data needs both validation_x and validation_y");
    split.x = x_host;
    split.y = y_host;
    split.val_x = training.prepare_inputs(options.validation_x);
    split.val_y = training.prepare_targets(options.validation_y);
    return split;
  }
  // Keras: split_at = int(rows * (1 - validation_split)), validation = rows after it.
  const std::int64_t rows = x.dim(0);
  const auto split_at =
      static_cast<std::int64_t>(static_cast<double>(rows) * (1.0 - options.validation_split));
  split.x = x_host.slice(0, split_at);
  split.y = y_host.slice(0, split_at);
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
  check(rows > 0, name_, "fit() has no training rows (x ", x.str(), ", validation_split ",
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
  for (const auto& callback : options.callbacks) callback->on_train_begin(*this);
  for (int epoch = 0; epoch < options.epochs && !stop_training; ++epoch) {
    std::iota(order.begin(), order.end(), 0);
    if (options.shuffle) std::shuffle(order.begin(), order.end(), shuffler);
    progress.begin_epoch(epoch, options.epochs, steps);
    RunningMeans means(2 + metrics_.size());  // loss, regularization, metrics
    std::vector<double> metric_values(metrics_.size());
    for (std::int64_t step = 0; step < steps; ++step) {
      const auto first = order.begin() + step * options.batch_size;
      const std::vector<std::int64_t> batch(
          first,
          first + std::min<std::int64_t>(options.batch_size, rows - step * options.batch_size));
      const auto [data_loss, penalty] = training.train_step(
          gather_rows(data.x, batch, device_), gather_rows(data.y, batch, device_), metric_values);
      std::vector<double> values = {data_loss + penalty, penalty};
      values.insert(values.end(), metric_values.begin(), metric_values.end());
      means.add(values, static_cast<double>(batch.size()));
      EpochLogs running{{"loss", means.mean(0)}};
      for (std::size_t m = 0; m < metrics_.size(); ++m)
        running.emplace_back(metrics_[m].name, means.mean(2 + m));
      progress.update(step + 1, running);
      for (const auto& callback : options.callbacks)
        callback->on_train_batch_end(static_cast<int>(step), running, *this);
      if (stop_training) break;  // Keras 3: a callback may end the epoch early
    }
    EpochLogs logs{{"loss", means.mean(0)}};
    for (std::size_t m = 0; m < metrics_.size(); ++m)
      logs.emplace_back(metrics_[m].name, means.mean(2 + m));
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
