// Keras' callbacks for fit(): early stopping and best-model checkpoints (the
// learning-rate ones are in cuseq/learning_rate_callbacks.h).
#pragma once

#include <iosfwd>
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
  // `epoch` counts from 0.
  virtual void on_epoch_begin(int epoch, Sequential& model);
  // After each training batch (`batch` counts from 0 in each epoch); logs
  // hold the epoch's running loss and metrics so far, as Keras passes them.
  virtual void on_train_batch_end(int batch, const EpochLogs& logs, Sequential& model);
  // `epoch` counts from 0; logs hold loss, metrics and val_ values.
  virtual void on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model);
  virtual void on_train_end(Sequential& model);

  // Where a verbose callback prints; fit() sets it to FitOptions::output
  // (std::cout when that is null). Null: std::cout.
  std::ostream* output = nullptr;

 protected:
  std::ostream& out() const;
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

// EarlyStopping's keyword arguments, with Keras' names and defaults.
struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0.0;
  int patience = 0;
  // 1: prints "Epoch N: early stopping" and "Restoring model weights from the
  // end of the best epoch: N." as Keras does.
  int verbose = 0;
  std::string mode = "auto";  // "auto", "min" or "max"
  bool restore_best_weights = false;
};

// Stops training once `monitor` has not improved by more than min_delta for
// `patience` epochs (Keras 3's rules: an epoch that does not improve adds to
// the wait, stopping needs wait >= patience after the first epoch). With
// restore_best_weights the weights of the best epoch are put back when
// training ends, whether it stopped early or not (Keras 3).
class CUSEQ_API EarlyStopping : public Callback {
 public:
  explicit EarlyStopping(EarlyStoppingOptions options = {});
  void on_train_begin(Sequential& model) override;
  void on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model) override;
  void on_train_end(Sequential& model) override;
  // The epoch (from 0) at which training stopped, or -1 if it ran to the end.
  int stopped_epoch() const { return stopped_epoch_; }
  int best_epoch() const { return best_epoch_; }

 private:
  MonitorRule rule_;
  EarlyStoppingOptions options_;
  int wait_ = 0;
  int stopped_epoch_ = -1;
  int best_epoch_ = -1;
  double best_ = 0;
  std::vector<std::vector<Tensor>> best_weights_;
};

// ModelCheckpoint's keyword arguments (after the path), with Keras' names and defaults.
struct ModelCheckpointOptions {
  std::string monitor = "val_loss";
  // 1: prints "Epoch N: val_loss improved from A to B, saving model to PATH"
  // (or "did not improve from A"), as Keras does.
  int verbose = 0;
  bool save_best_only = false;
  bool save_weights_only = false;
  std::string mode = "auto";  // "auto", "min" or "max"
};

// Saves the model (with its optimizer, see Sequential::save) or only its
// weights after each epoch, or with save_best_only only when `monitor`
// improves. Unlike Keras it never saves after an epoch whose loss is NaN or
// Inf: the last good file stays. "{epoch}" in the path becomes the epoch
// number counted from 1, as Keras formats it.
class CUSEQ_API ModelCheckpoint : public Callback {
 public:
  explicit ModelCheckpoint(std::string path, ModelCheckpointOptions options = {});
  void on_train_begin(Sequential& model) override;
  void on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model) override;
  // Paths written so far, in order.
  const std::vector<std::string>& saved_paths() const { return saved_paths_; }

 private:
  std::string path_;
  MonitorRule rule_;
  ModelCheckpointOptions options_;
  double best_ = 0;
  std::vector<std::string> saved_paths_;
};

}  // namespace cuseq
