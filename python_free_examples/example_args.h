// A tiny "--key value" command-line reader shared by the examples.
#pragma once

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

namespace cuseq::examples {

class Args {
 public:
  // Reads "--key value" pairs and bare "--flag"s; prints `usage` and exits on --help.
  Args(int argc, char** argv, const std::string& usage) {
    for (int i = 1; i < argc; ++i) {
      std::string key = argv[i];
      if (key == "--help" || key == "-h") {
        std::cout << usage << "\n";
        std::exit(0);
      }
      if (key.rfind("--", 0) != 0) {
        std::cerr << "unexpected argument " << key << "\n" << usage << "\n";
        std::exit(2);
      }
      key = key.substr(2);
      const bool has_value = i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0;
      values_[key] = has_value ? argv[++i] : "true";
    }
  }

  std::string text(const std::string& key, const std::string& fallback) const {
    const auto found = values_.find(key);
    return found == values_.end() ? fallback : found->second;
  }
  // The whole value must be a number ("12abc" is an error naming the flag).
  long integer(const std::string& key, long fallback) const {
    const auto found = values_.find(key);
    if (found == values_.end()) return fallback;
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(found->second.c_str(), &end, 10);
    if (found->second.empty() || *end != '\0' || errno == ERANGE) bad_value(key, "an integer");
    return value;
  }
  double real(const std::string& key, double fallback) const {
    const auto found = values_.find(key);
    if (found == values_.end()) return fallback;
    char* end = nullptr;
    const double value = std::strtod(found->second.c_str(), &end);
    if (found->second.empty() || *end != '\0' || !std::isfinite(value))
      bad_value(key, "a finite number");
    return value;
  }

 private:
  [[noreturn]] void bad_value(const std::string& key, const char* expected) const {
    std::cerr << "--" << key << ": \"" << values_.at(key) << "\" is not " << expected << "\n";
    std::exit(2);
  }

  std::map<std::string, std::string> values_;
};

}  // namespace cuseq::examples
