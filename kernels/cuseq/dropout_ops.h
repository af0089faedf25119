// Inverted dropout masks from Philox (cuseq::ops): element i is kept when the
// 32 random bits number i of `stream` reach rate * 2^32, so a stream gives the
// same mask on every device.
#pragma once

#include "cuseq/export.h"
#include "cuseq/rng.h"
#include "cuseq/tensor.h"

namespace cuseq::ops {

// mask[i] = 1 / (1 - rate) where element i is kept, else 0; rate in [0, 1).
CUSEQ_API void dropout_mask(Tensor& mask, double rate, Generator::Stream stream);
// The same mask, and y = x * mask, in one pass (x, mask and y of one shape).
// The backward is ops::multiply(dy, mask, dx).
CUSEQ_API void dropout_forward(const Tensor& x, double rate, Generator::Stream stream, Tensor& mask,
                               Tensor& y);

}  // namespace cuseq::ops
