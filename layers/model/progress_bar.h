// fit()'s progress output, Keras style. On a terminal: "Epoch 3/10" then a
// bar redrawn in place ("12/32 [=====>....] - ETA: 3s - loss: 0.4 ...") and
// finished with the epoch's time and values. Elsewhere (a file, a pipe, a
// string stream): exactly one line per epoch, written when it ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>

#include "cuseq/history.h"

namespace cuseq::detail {

class ProgressBar {
 public:
  // verbose: 0 silent, 1 bar on a terminal, 2 one line per epoch.
  ProgressBar(std::ostream& out, bool terminal, int verbose);

  void begin_epoch(int epoch, int epochs, std::int64_t steps);
  // After each step: running means of loss and metrics so far.
  void update(std::int64_t steps_done, const EpochLogs& running);
  // The epoch's final values (val_ included).
  void end_epoch(const EpochLogs& logs);

 private:
  using Clock = std::chrono::steady_clock;
  bool draws_bar() const { return verbose_ == 1 && terminal_; }

  std::ostream& out_;
  bool terminal_;
  int verbose_;
  int epoch_ = 0, epochs_ = 0;
  std::int64_t steps_ = 0;
  Clock::time_point start_;
};

// True when `out` is std::cout and standard output is a terminal.
bool is_terminal(const std::ostream& out);

}  // namespace cuseq::detail
