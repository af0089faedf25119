// Keras' keras.preprocessing.sequence.pad_sequences.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cuseq/export.h"
#include "cuseq/tensor.h"

namespace cuseq {

// int32 [sequences, maxlen] on the CPU. maxlen defaults to the longest
// sequence. padding "pre" puts `value` before a short sequence, "post" after;
// truncating "pre" drops the start of a long sequence, "post" its end.
// Keras' defaults: pre, pre, 0. Bad arguments throw cuseq::Error.
CUSEQ_API Tensor pad_sequences(const std::vector<std::vector<std::int32_t>>& sequences,
                               std::optional<std::int64_t> maxlen = std::nullopt,
                               const std::string& padding = "pre",
                               const std::string& truncating = "pre", std::int32_t value = 0);

}  // namespace cuseq
