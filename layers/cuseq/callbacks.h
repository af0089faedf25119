// Keras' callbacks for fit(): early stopping and best-model checkpoints.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "cuseq/export.h"
#include "cuseq/history.h"
#include "cuseq/tensor.h"

namespace cuseq {

class Sequential;

class CUSEQ_API Callback {
 public:
  virtual ~Callback();
  virtual void on_train_begin(Sequential& model);
  // After each training batch (`batch` counts from 0 in each epoch); logs
  // hold the epoch's running loss and metrics so far, as Keras passes them.
  virtual void on_train_batch_end(int batch, const EpochLogs& logs, Sequential& model);
  // `epoch` counts from 0; logs hold loss, metrics and val_ values.
  virtual void on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model);
  virtual void on_train_end(Sequential& model);
};

// Keras' rule for "auto": maximise a monitor ending in "acc", "accuracy" or
// "auc", minimise anything else; "min" and "max" force it.
class CUSEQ_API MonitorRule {
 public:
  MonitorRule(std::string monitor, std::string mode, double min_delta);
  const std::string& monitor() const { return monitor_; }
  // current beats best by more than min_delta (any value beats no best yet).
  bool improves(double current, double best) const;
  double worst() const;

 private:
  std::string monitor_;
  bool maximize_;
  double min_delta_;
};

// Stops training once `monitor` has not improved by more than min_delta for
// `patience` epochs (Keras 2.x rules); restore_best_weights puts back the
// weights of the best epoch when it stops.
class CUSEQ_API EarlyStopping : public Callback {
 public:
  explicit EarlyStopping(std::string monitor = "val_loss", double min_delta = 0.0, int patience = 0,
                         bool restore_best_weights = false, std::string mode = "auto");
  void on_train_begin(Sequential& model) override;
  void on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model) override;
  // The epoch (from 0) at which training stopped, or -1 if it ran to the end.
  int stopped_epoch() const { return stopped_epoch_; }
  int best_epoch() const { return best_epoch_; }

 private:
  MonitorRule rule_;
  int patience_;
  bool restore_best_weights_;
  int wait_ = 0;
  int stopped_epoch_ = -1;
  int best_epoch_ = -1;
  double best_ = 0;
  std::vector<std::vector<Tensor>> best_weights_;
};

// Saves the model (or only its weights) after each epoch, or with
// save_best_only only when `monitor` improves. Unlike Keras it never saves
// after an epoch whose loss is NaN or Inf: the last good file stays. "{epoch}" in the path becomes
// the epoch number counted from 1, as Keras formats it.
class CUSEQ_API ModelCheckpoint : public Callback {
 public:
  explicit ModelCheckpoint(std::string path, std::string monitor = "val_loss",
                           bool save_best_only = false, bool save_weights_only = false,
                           std::string mode = "auto");
  void on_train_begin(Sequential& model) override;
  void on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model) override;
  // Paths written so far, in order.
  const std::vector<std::string>& saved_paths() const { return saved_paths_; }

 private:
  std::string path_;
  MonitorRule rule_;
  bool save_best_only_;
  bool save_weights_only_;
  double best_ = 0;
  std::vector<std::string> saved_paths_;
};

}  // namespace cuseq
