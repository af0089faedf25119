// The time-block kernel family, one source for both backends: copies a block
// of consecutive steps between batch-major sequences. The kernels' interface
// and their definition as a body functor walked by for_each_index(Where{}, ...);
// time_block_cpu.cpp instantiates them for the CPU (cuseq's thread pool),
// time_block.cu for CUDA; time_block_ops.cpp checks the arguments and dispatches.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"
#include "kernels/backend.h"
#include "kernels/dtype_dispatch.h"

namespace cuseq::detail {

template <class Where>
struct TimeBlockKernels {
  // Steps [source_begin, source_begin + steps) of source [batch, source_steps,
  // inner] go to steps [destination_begin, ...) of destination [batch,
  // destination_steps, inner]; arguments validated by time_block_ops.cpp.
  static void copy(const Tensor& source, std::int64_t source_begin, Tensor& destination,
                   std::int64_t destination_begin, std::int64_t steps);
};
// Instantiated only where the walker is: time_block_cpu.cpp and time_block.cu.
extern template struct TimeBlockKernels<Cpu>;
extern template struct TimeBlockKernels<Cuda>;

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

// for_each_index(Where{}, ...) is found where these are instantiated, after
// the walker (parallel_for_cpu.h, for_each_cuda.cuh).
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
