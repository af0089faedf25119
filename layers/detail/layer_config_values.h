// Reading and writing the values of a LayerConfig (constructor arguments as
// text), shared by every layer's config() and registered factory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cuseq/layer.h"

namespace cuseq::detail {

// The shortest text that parses back to exactly `value`.
std::string format_double(double value);
std::string format_bool(bool value);
// "None" when absent, as Keras writes null.
std::string format_optional(const std::optional<std::int64_t>& value);
// "" when inactive, else "L1L2(l1=<l1>,l2=<l2>)".
std::string format_regularizer(const Regularizer& regularizer);

// Each throws a cuseq::Error naming `type` and the key when it is missing or malformed.
std::string config_string(const LayerConfig& config, const std::string& key,
                          const std::string& type);
std::int64_t config_int(const LayerConfig& config, const std::string& key, const std::string& type);
double config_double(const LayerConfig& config, const std::string& key, const std::string& type);
bool config_bool(const LayerConfig& config, const std::string& key, const std::string& type);
std::optional<std::int64_t> config_optional_int(const LayerConfig& config, const std::string& key,
                                                const std::string& type);
Regularizer config_regularizer(const LayerConfig& config, const std::string& key,
                               const std::string& type);

}  // namespace cuseq::detail
