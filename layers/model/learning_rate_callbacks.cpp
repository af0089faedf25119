#include "cuseq/learning_rate_callbacks.h"

#include <algorithm>
#include <cmath>
#include <ostream>

#include "cuseq/sequential.h"

namespace cuseq {

ReduceLROnPlateau::ReduceLROnPlateau(ReduceLROnPlateauOptions options)
    : rule_(options.monitor, options.mode, options.min_delta), options_(std::move(options)) {
  check(options_.factor > 0.0 && options_.factor < 1.0, "ReduceLROnPlateau",
        "expected factor in (0, 1), got ", options_.factor);
  check(options_.patience >= 0 && options_.cooldown >= 0, "ReduceLROnPlateau",
        "expected patience and cooldown >= 0, got ", options_.patience, " and ", options_.cooldown);
}

void ReduceLROnPlateau::on_train_begin(Sequential&) {
  best_ = rule_.worst();
  wait_ = 0;
  cooldown_counter_ = 0;
}

void ReduceLROnPlateau::on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model) {
  const double current = log_value(logs, rule_.monitor());
  const bool in_cooldown = cooldown_counter_ > 0;
  if (in_cooldown) {
    --cooldown_counter_;
    wait_ = 0;
  }
  if (rule_.improves(current, best_)) {
    best_ = current;
    wait_ = 0;
    return;
  }
  if (in_cooldown || ++wait_ < options_.patience) return;
  Optimizer& optimizer = model.optimizer();
  // Keras compares with the float32 min_lr its optimizer variable holds.
  if (optimizer.learning_rate > static_cast<float>(options_.min_lr)) {
    optimizer.learning_rate = std::max(optimizer.learning_rate * options_.factor, options_.min_lr);
    if (options_.verbose > 0) {
      out() << "\nEpoch " << epoch + 1 << ": ReduceLROnPlateau reducing learning rate to "
            << optimizer.learning_rate << ".\n";
    }
    cooldown_counter_ = options_.cooldown;
    wait_ = 0;
  }
}

LearningRateScheduler::LearningRateScheduler(Schedule schedule, int verbose)
    : schedule_(std::move(schedule)), verbose_(verbose) {
  check(static_cast<bool>(schedule_), "LearningRateScheduler", "got an empty schedule");
}

void LearningRateScheduler::on_epoch_begin(int epoch, Sequential& model) {
  Optimizer& optimizer = model.optimizer();
  const double rate = schedule_(epoch, optimizer.learning_rate);
  check(std::isfinite(rate) && rate >= 0, "LearningRateScheduler", "the schedule gave ", rate,
        " for epoch ", epoch, "; expected a finite rate >= 0");
  optimizer.learning_rate = rate;
  if (verbose_ > 0) {
    out() << "\nEpoch " << epoch + 1 << ": LearningRateScheduler setting learning rate to " << rate
          << ".\n";
  }
}

}  // namespace cuseq
