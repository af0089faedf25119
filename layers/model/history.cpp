#include "cuseq/history.h"

#include <cstdio>
#include <sstream>

#include "cuseq/error.h"
#include "layers/io/atomic_file.h"

namespace cuseq {
namespace {

std::string known_keys(const std::vector<std::string>& keys) {
  std::string joined;
  for (const std::string& key : keys) joined += (joined.empty() ? "" : ", ") + key;
  return joined.empty() ? "(none)" : joined;
}

}  // namespace

bool has_log(const EpochLogs& logs, const std::string& key) {
  for (const auto& entry : logs) {
    if (entry.first == key) return true;
  }
  return false;
}

double log_value(const EpochLogs& logs, const std::string& key) {
  std::vector<std::string> keys;
  for (const auto& [name, value] : logs) {
    if (name == key) return value;
    keys.push_back(name);
  }
  fail("logs", "no value \"", key, "\"; available: ", known_keys(keys));
}

void History::append(const EpochLogs& logs) {
  for (const auto& [key, value] : logs) {
    auto& series = values_[key];
    if (series.empty() && epochs_ == 0) keys_.push_back(key);
    check(static_cast<int>(series.size()) == epochs_, "History", "\"", key,
          "\" is missing from earlier epochs");
    series.push_back(value);
  }
  ++epochs_;
  for (const std::string& key : keys_) {
    check(static_cast<int>(values_[key].size()) == epochs_, "History", "epoch ", epochs_ - 1,
          " lacks \"", key, "\"");
  }
}

const std::vector<double>& History::operator[](const std::string& key) const {
  const auto found = values_.find(key);
  check(found != values_.end(), "History", "no key \"", key, "\"; available: ", known_keys(keys_));
  return found->second;
}

void History::to_csv(const std::string& path) const {
  std::ostringstream out;
  out.precision(17);
  out << "epoch";
  for (const std::string& key : keys_) out << ',' << key;
  out << '\n';
  for (int epoch = 0; epoch < epochs_; ++epoch) {
    out << epoch;
    for (const std::string& key : keys_)
      out << ',' << values_.at(key)[static_cast<std::size_t>(epoch)];
    out << '\n';
  }
  detail::write_file_atomically(path, out.str());
}

}  // namespace cuseq
