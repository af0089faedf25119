#include "layers/detail/layer_config_values.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "cuseq/error.h"

namespace cuseq::detail {
namespace {

[[noreturn]] void malformed(const std::string& type, const std::string& key,
                            const std::string& text, const std::string& expected) {
  fail(type, "config value ", key, "=\"", text, "\" is not ", expected);
}

}  // namespace

std::string format_double(double value) {
  char text[32];
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  return text;
}

std::string format_bool(bool value) { return value ? "true" : "false"; }

std::string format_optional(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : "None";
}

std::string format_regularizer(const Regularizer& regularizer) {
  if (!regularizer.active()) return "";
  return "L1L2(l1=" + format_double(regularizer.l1) + ",l2=" + format_double(regularizer.l2) + ")";
}

std::string config_string(const LayerConfig& config, const std::string& key,
                          const std::string& type) {
  const auto found = config.find(key);
  check(found != config.end(), type, "config lacks \"", key, "\"");
  return found->second;
}

std::int64_t config_int(const LayerConfig& config, const std::string& key,
                        const std::string& type) {
  const std::string text = config_string(config, key, type);
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0') malformed(type, key, text, "an integer");
  if (errno == ERANGE) malformed(type, key, text, "an integer of 64 bits");
  return value;
}

double config_double(const LayerConfig& config, const std::string& key, const std::string& type) {
  const std::string text = config_string(config, key, type);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') malformed(type, key, text, "a number");
  // Overflow, NaN and infinity are never a layer's setting; underflow to 0 is harmless.
  if ((errno == ERANGE && value != 0) || !std::isfinite(value))
    malformed(type, key, text, "a finite number");
  return value;
}

bool config_bool(const LayerConfig& config, const std::string& key, const std::string& type) {
  const std::string text = config_string(config, key, type);
  if (text != "true" && text != "false") malformed(type, key, text, "true or false");
  return text == "true";
}

std::optional<std::int64_t> config_optional_int(const LayerConfig& config, const std::string& key,
                                                const std::string& type) {
  if (config_string(config, key, type) == "None") return std::nullopt;
  return config_int(config, key, type);
}

Regularizer config_regularizer(const LayerConfig& config, const std::string& key,
                               const std::string& type) {
  const std::string text = config_string(config, key, type);
  if (text.empty()) return Regularizer{};
  Regularizer regularizer;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "L1L2(l1=%lf,l2=%lf)%n", &regularizer.l1, &regularizer.l2,
                  &consumed) != 2 ||
      consumed != static_cast<int>(text.size()) || !std::isfinite(regularizer.l1) ||
      !std::isfinite(regularizer.l2)) {
    malformed(type, key, text, "a regularizer L1L2(l1=<number>,l2=<number>)");
  }
  return regularizer;
}

}  // namespace cuseq::detail
