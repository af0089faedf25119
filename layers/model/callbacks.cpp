#include "cuseq/callbacks.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

#include "cuseq/sequential.h"

namespace cuseq {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Keras' "{:.5f}" (inf stays "inf").
std::string five_decimals(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.5f", value);
  return text;
}

bool maximizes(const std::string& monitor, const std::string& mode) {
  if (mode == "min") return false;
  if (mode == "max") return true;
  check(mode == "auto", "callback", "expected mode auto, min or max, got \"", mode, "\"");
  return ends_with(monitor, "acc") || ends_with(monitor, "accuracy") || ends_with(monitor, "auc");
}

}  // namespace

Callback::~Callback() = default;
void Callback::on_train_begin(Sequential&) {}
void Callback::on_epoch_begin(int, Sequential&) {}
void Callback::on_train_batch_end(int, const EpochLogs&, Sequential&) {}
void Callback::on_epoch_end(int, const EpochLogs&, Sequential&) {}
void Callback::on_train_end(Sequential&) {}
std::ostream& Callback::out() const { return output ? *output : std::cout; }

MonitorRule::MonitorRule(std::string monitor, std::string mode, double min_delta)
    : monitor_(std::move(monitor)),
      maximize_(maximizes(monitor_, mode)),
      min_delta_(min_delta < 0 ? -min_delta : min_delta) {}

bool MonitorRule::improves(double current, double best) const {
  return maximize_ ? current - min_delta_ > best : current + min_delta_ < best;
}

double MonitorRule::worst() const {
  return maximize_ ? -std::numeric_limits<double>::infinity()
                   : std::numeric_limits<double>::infinity();
}

EarlyStopping::EarlyStopping(EarlyStoppingOptions options)
    : rule_(options.monitor, options.mode, options.min_delta), options_(std::move(options)) {
  check(options_.patience >= 0, "EarlyStopping", "expected patience >= 0, got ", options_.patience);
}

void EarlyStopping::on_train_begin(Sequential&) {
  wait_ = 0;
  stopped_epoch_ = -1;
  best_epoch_ = -1;
  best_ = rule_.worst();
  best_weights_.clear();
}

void EarlyStopping::on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model) {
  const double current = log_value(logs, rule_.monitor());
  if (options_.restore_best_weights && best_weights_.empty()) {
    best_weights_ = model.get_weights();
    best_epoch_ = epoch;
  }
  ++wait_;
  if (rule_.improves(current, best_)) {
    best_ = current;
    best_epoch_ = epoch;
    if (options_.restore_best_weights) best_weights_ = model.get_weights();
    wait_ = 0;
    return;
  }
  if (wait_ >= options_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    model.stop_training = true;
  }
}

void EarlyStopping::on_train_end(Sequential& model) {
  if (stopped_epoch_ > 0 && options_.verbose > 0) {
    out() << "Epoch " << stopped_epoch_ + 1 << ": early stopping\n";
  }
  if (options_.restore_best_weights && !best_weights_.empty()) {
    if (options_.verbose > 0) {
      out() << "Restoring model weights from the end of the best epoch: " << best_epoch_ + 1
            << ".\n";
    }
    model.set_weights(best_weights_);
  }
}

ModelCheckpoint::ModelCheckpoint(std::string path, ModelCheckpointOptions options)
    : path_(std::move(path)),
      rule_(options.monitor, options.mode, 0.0),
      options_(std::move(options)) {}

void ModelCheckpoint::on_train_begin(Sequential&) { best_ = rule_.worst(); }

void ModelCheckpoint::on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model) {
  if (has_log(logs, "loss") && !std::isfinite(log_value(logs, "loss"))) return;  // diverged
  std::string path = path_;
  const std::string field = "{epoch}";
  for (std::size_t at = path.find(field); at != std::string::npos; at = path.find(field)) {
    path.replace(at, field.size(), std::to_string(epoch + 1));
  }
  if (options_.save_best_only) {
    const double current = log_value(logs, rule_.monitor());
    if (!rule_.improves(current, best_)) {
      if (options_.verbose > 0) {
        out() << "\nEpoch " << epoch + 1 << ": " << rule_.monitor() << " did not improve from "
              << five_decimals(best_) << "\n";
      }
      return;
    }
    if (options_.verbose > 0) {
      out() << "\nEpoch " << epoch + 1 << ": " << rule_.monitor() << " improved from "
            << five_decimals(best_) << " to " << five_decimals(current) << ", saving model to "
            << path << "\n";
    }
    best_ = current;
  } else if (options_.verbose > 0) {
    out() << "\nEpoch " << epoch + 1 << ": saving model to " << path << "\n";
  }
  if (options_.save_weights_only) {
    model.save_weights(path);
  } else {
    model.save(path);
  }
  saved_paths_.push_back(path);
}

}  // namespace cuseq
