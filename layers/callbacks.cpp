#include "cuseq/callbacks.h"

#include <cmath>
#include <limits>

#include "cuseq/sequential.h"

namespace cuseq {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
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
void Callback::on_train_batch_end(int, const EpochLogs&, Sequential&) {}
void Callback::on_epoch_end(int, const EpochLogs&, Sequential&) {}
void Callback::on_train_end(Sequential&) {}

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

EarlyStopping::EarlyStopping(std::string monitor, double min_delta, int patience,
                             bool restore_best_weights, std::string mode)
    : rule_(std::move(monitor), std::move(mode), min_delta),
      patience_(patience),
      restore_best_weights_(restore_best_weights) {
  check(patience >= 0, "EarlyStopping", "expected patience >= 0, got ", patience);
}

void EarlyStopping::on_train_begin(Sequential&) {
  wait_ = 0;
  stopped_epoch_ = -1;
  best_epoch_ = -1;
  best_ = rule_.worst();
  best_weights_.clear();
}

// Keras 2.x: an epoch that does not improve adds to `wait`; stopping needs
// wait >= patience after the first epoch.
void EarlyStopping::on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model) {
  const double current = log_value(logs, rule_.monitor());
  if (restore_best_weights_ && best_weights_.empty()) best_weights_ = model.get_weights();
  ++wait_;
  if (rule_.improves(current, best_)) {
    best_ = current;
    best_epoch_ = epoch;
    if (restore_best_weights_) best_weights_ = model.get_weights();
    wait_ = 0;
    return;
  }
  if (wait_ >= patience_ && epoch > 0) {
    stopped_epoch_ = epoch;
    model.stop_training = true;
    if (restore_best_weights_) model.set_weights(best_weights_);
  }
}

ModelCheckpoint::ModelCheckpoint(std::string path, std::string monitor, bool save_best_only,
                                 bool save_weights_only, std::string mode)
    : path_(std::move(path)),
      rule_(std::move(monitor), std::move(mode), 0.0),
      save_best_only_(save_best_only),
      save_weights_only_(save_weights_only) {}

void ModelCheckpoint::on_train_begin(Sequential&) { best_ = rule_.worst(); }

void ModelCheckpoint::on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model) {
  if (has_log(logs, "loss") && !std::isfinite(log_value(logs, "loss"))) return;  // diverged
  if (save_best_only_) {
    const double current = log_value(logs, rule_.monitor());
    if (!rule_.improves(current, best_)) return;
    best_ = current;
  }
  std::string path = path_;
  const std::string field = "{epoch}";
  for (std::size_t at = path.find(field); at != std::string::npos; at = path.find(field)) {
    path.replace(at, field.size(), std::to_string(epoch + 1));
  }
  if (save_weights_only_) {
    model.save_weights(path);
  } else {
    model.save(path);
  }
  saved_paths_.push_back(path);
}

}  // namespace cuseq
