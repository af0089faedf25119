// Blocks of consecutive steps of batch-major sequences: what the chunked
// (wavefront) stacked recurrent ops cut a sequence into and assemble it from.
// Sequences are [batch, steps, features] or masks [batch, steps], float32 or
// float64.
#pragma once

#include <cstdint>

#include "cuseq/export.h"
#include "cuseq/tensor.h"

namespace cuseq::ops {

// Copies steps [source_begin, source_begin + steps) of `source` into steps
// [destination_begin, destination_begin + steps) of `destination`; both have
// the same batch, dtype, device and trailing extents.
CUSEQ_API void copy_time_block(const Tensor& source, std::int64_t source_begin, Tensor& destination,
                               std::int64_t destination_begin, std::int64_t steps);
// A new tensor holding steps [begin, begin + steps) of `x`.
CUSEQ_API Tensor time_block(const Tensor& x, std::int64_t begin, std::int64_t steps);

}  // namespace cuseq::ops
