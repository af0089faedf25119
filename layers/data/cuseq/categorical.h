// Keras' to_categorical: class ids to one-hot rows, e.g. the word-level or
// character-level one-hot encoding of padded token sequences.
#pragma once

#include <cstdint>
#include <optional>

#include "cuseq/export.h"
#include "cuseq/tensor.h"

namespace cuseq {

// int32 ids of any shape S (on any device) -> float32 S + [num_classes] on the
// CPU, 1 at each id and 0 elsewhere. num_classes defaults to the largest id +
// 1; an id outside [0, num_classes) throws cuseq::Error naming it.
CUSEQ_API Tensor to_categorical(const Tensor& ids,
                                std::optional<std::int64_t> num_classes = std::nullopt);

}  // namespace cuseq
