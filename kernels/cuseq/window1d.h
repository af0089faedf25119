// Where a 1-D convolution or pooling window slides (cuseq/conv_ops.h). A
// header of its own so that their kernels (kernels/conv.h) need the
// geometry and not the ops' API.
#pragma once

#include <cstdint>

#include "cuseq/export.h"

namespace cuseq {

// Keras' padding names: "valid" (no padding), "same" (output length
// ceil(steps / stride), the padding split with the smaller half on the left),
// "causal" (dilation * (kernel_size - 1) zeros on the left; Conv1D only).
enum class Padding { valid, same, causal };

// Where a window of `window` taps, `dilation` apart, slides along `steps` by `stride`.
struct Window1d {
  std::int64_t steps = 0;
  std::int64_t window = 1;
  std::int64_t stride = 1;
  std::int64_t dilation = 1;
  Padding padding = Padding::valid;

  std::int64_t span() const { return dilation * (window - 1) + 1; }
  // Keras' output length (conv_utils.conv_output_length); 0 when the window does not fit.
  CUSEQ_API std::int64_t output_steps() const;
  // Virtual zeros before step 0 (those after the last step follow from output_steps()).
  CUSEQ_API std::int64_t pad_left() const;
};

}  // namespace cuseq
