// The time-block kernel family: copies a block of consecutive steps between
// batch-major sequences, declared once for both backends: defined by
// time_block_pointwise.h, instantiated in time_block_cpu.cpp and time_block.cu.
#pragma once

#include <cstdint>

#include "kernels/backend.h"

namespace cuseq::detail {

template <class Where>
struct TimeBlockKernels {
  // Steps [source_begin, source_begin + steps) of source [batch, source_steps,
  // inner] go to steps [destination_begin, ...) of destination [batch,
  // destination_steps, inner]; arguments validated by time_block_ops.cpp.
  static void copy(const Tensor& source, std::int64_t source_begin, Tensor& destination,
                   std::int64_t destination_begin, std::int64_t steps);
};

}  // namespace cuseq::detail
