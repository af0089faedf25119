// What fit() returns: per-epoch values of the loss, the metrics and their
// val_ versions (Keras' History.history), with CSV and SVG output.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cuseq/export.h"

namespace cuseq {

// One epoch's results in display order, e.g. {{"loss", 0.3}, {"accuracy", 0.9}}.
using EpochLogs = std::vector<std::pair<std::string, double>>;

// The value of `key` in `logs`; throws a cuseq::Error listing the keys when absent.
CUSEQ_API double log_value(const EpochLogs& logs, const std::string& key);
CUSEQ_API bool has_log(const EpochLogs& logs, const std::string& key);

class CUSEQ_API History {
 public:
  void append(const EpochLogs& logs);

  // Keys in the order they first appeared: loss, metrics, val_loss, val_metrics.
  const std::vector<std::string>& keys() const { return keys_; }
  bool contains(const std::string& key) const { return values_.count(key) != 0; }
  // One value per epoch; throws a cuseq::Error naming the known keys when absent.
  const std::vector<double>& operator[](const std::string& key) const;
  int epochs() const { return epochs_; }

  // "epoch,<key>,..." then one row per epoch (epochs counted from 0, as
  // Keras' CSVLogger), values with 17 significant digits. Written atomically.
  void to_csv(const std::string& path) const;
  // A standalone SVG: one panel per quantity (loss, each metric), train as a
  // solid line and validation dashed, with axes, ticks and a legend. Atomic.
  void plot_svg(const std::string& path) const;

 private:
  std::vector<std::string> keys_;
  std::map<std::string, std::vector<double>> values_;
  int epochs_ = 0;
};

}  // namespace cuseq
