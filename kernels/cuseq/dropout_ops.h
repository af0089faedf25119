// Inverted dropout masks from Philox (cuseq::ops): element i is kept when the
// 32 random bits number i of `stream` reach rate * 2^32, an integer comparison,
// so a stream gives the same mask, bit for bit, on every device. The one mask
// generator of the library: the Dropout layer and the recurrent layers' input
// and recurrent dropout (one [batch, units] mask reused at every step) draw here.
#pragma once

#include "cuseq/export.h"
#include "cuseq/rng.h"
#include "cuseq/tensor.h"

namespace cuseq::ops {

// mask[i] = 1 / (1 - rate) where element i is kept, else 0; rate in [0, 1).
CUSEQ_API void dropout_mask(double rate, Generator::Stream stream, Tensor& mask);
// The same mask, and y = x * mask, in one pass (x, mask and y of one shape).
// The backward is ops::multiply(dy, mask, dx).
CUSEQ_API void dropout_forward(const Tensor& x, double rate, Generator::Stream stream, Tensor& mask,
                               Tensor& y);

}  // namespace cuseq::ops
