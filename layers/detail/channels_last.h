// Checks shared by the layers that take channels-last sequences
// [batch, steps, channels] (Conv1D and the pooling layers).
#pragma once

#include "cuseq/error.h"
#include "cuseq/shape.h"
#include "cuseq/tensor.h"

namespace cuseq::detail {

// input_shape without the batch axis: [steps, channels].
inline void check_sequence_shape(const Shape& input_shape, const std::string& layer) {
  check(input_shape.rank() == 2, layer, "expected inputs of shape [batch, steps, channels], got ",
        "shape ", input_shape, " (without the batch axis)");
}

inline void check_sequence_input(const Tensor& input, const std::string& layer) {
  check(input.defined() && input.rank() == 3, layer,
        "expected an input of shape [batch, steps, channels], got ", input);
}

}  // namespace cuseq::detail
