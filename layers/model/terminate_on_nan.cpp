#include "cuseq/terminate_on_nan.h"

#include <cmath>
#include <iostream>

#include "cuseq/sequential.h"

namespace cuseq {

TerminateOnNaN::TerminateOnNaN(std::ostream* output) : output_(output) {}

void TerminateOnNaN::on_train_begin(Sequential&) {
  epoch_ = 0;
  stopped_epoch_ = -1;
  stopped_batch_ = -1;
}

void TerminateOnNaN::on_train_batch_end(int batch, const EpochLogs& logs, Sequential& model) {
  if (!has_log(logs, "loss")) return;
  const double loss = log_value(logs, "loss");
  if (std::isfinite(loss)) return;
  stopped_epoch_ = epoch_;
  stopped_batch_ = batch;
  model.stop_training = true;
  (output_ ? *output_ : std::cout) << "Epoch " << epoch_ + 1 << ", batch " << batch
                                   << ": invalid loss " << loss << ", terminating training\n";
}

void TerminateOnNaN::on_epoch_end(int epoch, const EpochLogs&, Sequential&) { epoch_ = epoch + 1; }

}  // namespace cuseq
