// Keras' callbacks that change the optimizer's learning rate during fit():
// ReduceLROnPlateau and LearningRateScheduler.
#pragma once

#include <functional>
#include <string>

#include "cuseq/callbacks.h"
#include "cuseq/export.h"

namespace cuseq {

// ReduceLROnPlateau's keyword arguments, with Keras' names and defaults.
struct ReduceLROnPlateauOptions {
  std::string monitor = "val_loss";
  double factor = 0.1;  // new rate = rate * factor, in (0, 1)
  int patience = 10;
  // 1: prints "Epoch N: ReduceLROnPlateau reducing learning rate to R." as Keras.
  int verbose = 0;
  std::string mode = "auto";  // "auto", "min" or "max"
  double min_delta = 1e-4;
  int cooldown = 0;  // epochs to wait after a reduction before counting again
  double min_lr = 0.0;
};

// Multiplies the learning rate by `factor` once `monitor` has not improved by
// more than min_delta for `patience` epochs, never below min_lr (Keras 3's
// rules, cooldown included).
class CUSEQ_API ReduceLROnPlateau : public Callback {
 public:
  explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});
  void on_train_begin(Sequential& model) override;
  void on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model) override;

 private:
  MonitorRule rule_;
  ReduceLROnPlateauOptions options_;
  double best_ = 0;
  int wait_ = 0;
  int cooldown_counter_ = 0;
};

// Sets the learning rate at the start of each epoch to schedule(epoch,
// current rate), epochs counted from 0, as Keras' LearningRateScheduler.
// verbose 1 prints "Epoch N: LearningRateScheduler setting learning rate to R.".
class CUSEQ_API LearningRateScheduler : public Callback {
 public:
  using Schedule = std::function<double(int epoch, double learning_rate)>;
  explicit LearningRateScheduler(Schedule schedule, int verbose = 0);
  void on_epoch_begin(int epoch, Sequential& model) override;

 private:
  Schedule schedule_;
  int verbose_;
};

}  // namespace cuseq
