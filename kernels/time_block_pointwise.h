// One source for the time-block kernels of both backends (the pattern of
// pointwise_ops.h): a body functor walked by for_each_index(Where{}, ...).
// time_block_cpu.cpp and time_block.cu include this after their walker.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/time_block_kernels.h"

namespace cuseq::detail {

// Element i of the [batch, steps, inner] block: its sample is i / (steps *
// inner); within a sample the block is contiguous in both sequences.
template <class T>
struct TimeBlockCopyBody {
  const T* source;
  T* destination;
  std::int64_t block;               // steps * inner
  std::int64_t source_row;          // source_steps * inner
  std::int64_t destination_row;     // destination_steps * inner
  std::int64_t source_offset;       // source_begin * inner
  std::int64_t destination_offset;  // destination_begin * inner
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    const std::int64_t sample = i / block, within = i % block;
    destination[sample * destination_row + destination_offset + within] =
        source[sample * source_row + source_offset + within];
  }
};

template <class Where>
void TimeBlockKernels<Where>::copy(const Tensor& source, std::int64_t source_begin,
                                   Tensor& destination, std::int64_t destination_begin,
                                   std::int64_t steps) {
  const std::int64_t batch = source.dim(0);
  const std::int64_t inner = source.numel() / (batch * source.dim(1));
  dispatch_floating(source.dtype(), "copy_time_block", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const TimeBlockCopyBody<T> body{
        source.data<T>(),         destination.data<T>(),      steps * inner,
        source.dim(1) * inner,    destination.dim(1) * inner, source_begin * inner,
        destination_begin * inner};
    for_each_index(Where{}, batch * steps * inner, body);
  });
}

}  // namespace cuseq::detail
