// Keras' TerminateOnNaN: stops fit() at the first batch whose loss is NaN or
// Inf, printing why, instead of training every weight to NaN.
#pragma once

#include <iosfwd>

#include "cuseq/callbacks.h"
#include "cuseq/export.h"

namespace cuseq {

class CUSEQ_API TerminateOnNaN : public Callback {
 public:
  // The message goes to `output` (std::cout when null), as Keras prints it.
  explicit TerminateOnNaN(std::ostream* output = nullptr);
  void on_train_begin(Sequential& model) override;
  void on_train_batch_end(int batch, const EpochLogs& logs, Sequential& model) override;
  void on_epoch_end(int epoch, const EpochLogs& logs, Sequential& model) override;
  // Where training stopped (epoch and batch from 0), or -1 if it did not.
  int stopped_epoch() const { return stopped_epoch_; }
  int stopped_batch() const { return stopped_batch_; }

 private:
  std::ostream* output_;
  int epoch_ = 0;
  int stopped_epoch_ = -1;
  int stopped_batch_ = -1;
};

}  // namespace cuseq
