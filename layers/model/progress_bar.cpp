#include "layers/model/progress_bar.h"

#include <unistd.h>

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

namespace cuseq::detail {
namespace {

constexpr int kBarWidth = 30;

std::string format_logs(const EpochLogs& logs) {
  std::ostringstream text;
  for (const auto& [name, value] : logs) {
    text << " - " << name << ": " << std::fixed << std::setprecision(4) << value;
  }
  return text.str();
}

// "1s", "1m 05s" as Keras prints durations.
std::string format_seconds(double seconds) {
  const auto whole = static_cast<long>(seconds + 0.5);
  std::ostringstream text;
  if (whole >= 3600) {
    text << whole / 3600 << ':' << std::setw(2) << std::setfill('0') << (whole % 3600) / 60 << ':'
         << std::setw(2) << whole % 60;
  } else if (whole >= 60) {
    text << whole / 60 << "m " << std::setw(2) << std::setfill('0') << whole % 60 << 's';
  } else {
    text << whole << 's';
  }
  return text.str();
}

// "[=====>........]" with `done` of `total` steps.
std::string bar(std::int64_t done, std::int64_t total) {
  const int filled = total == 0 ? kBarWidth : static_cast<int>(kBarWidth * done / total);
  std::string text = "[" + std::string(static_cast<std::size_t>(filled), '=');
  if (filled < kBarWidth) {
    text += '>';
    text += std::string(static_cast<std::size_t>(kBarWidth - filled - 1), '.');
  }
  return text + "]";
}

}  // namespace

bool is_terminal(const std::ostream& out) {
  return &out == &std::cout && ::isatty(STDOUT_FILENO) == 1;
}

ProgressBar::ProgressBar(std::ostream& out, bool terminal, int verbose)
    : out_(out), terminal_(terminal), verbose_(verbose) {}

void ProgressBar::begin_epoch(int epoch, int epochs, std::int64_t steps) {
  epoch_ = epoch;
  epochs_ = epochs;
  steps_ = steps;
  start_ = Clock::now();
  if (draws_bar()) out_ << "Epoch " << epoch + 1 << '/' << epochs << '\n' << std::flush;
}

void ProgressBar::update(std::int64_t steps_done, const EpochLogs& running) {
  if (!draws_bar() || steps_done >= steps_) return;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const double eta = steps_done == 0 ? 0.0
                                     : elapsed / static_cast<double>(steps_done) *
                                           static_cast<double>(steps_ - steps_done);
  const int width = static_cast<int>(std::to_string(steps_).size());
  out_ << '\r' << std::setw(width) << steps_done << '/' << steps_ << ' ' << bar(steps_done, steps_)
       << " - ETA: " << format_seconds(eta) << format_logs(running) << "\x1b[K" << std::flush;
}

void ProgressBar::end_epoch(const EpochLogs& logs) {
  if (verbose_ == 0) return;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const double per_step_ms = steps_ == 0 ? 0.0 : 1000.0 * elapsed / static_cast<double>(steps_);
  std::ostringstream timing;
  timing << format_seconds(elapsed) << ' ' << static_cast<long>(per_step_ms + 0.5) << "ms/step";
  if (draws_bar()) {
    out_ << '\r' << steps_ << '/' << steps_ << ' ' << bar(steps_, steps_) << " - " << timing.str()
         << format_logs(logs) << "\x1b[K\n"
         << std::flush;
  } else {
    out_ << "Epoch " << epoch_ + 1 << '/' << epochs_ << " - " << steps_ << '/' << steps_ << " - "
         << timing.str() << format_logs(logs) << '\n'
         << std::flush;
  }
}

}  // namespace cuseq::detail
