// The CUDA pooling kernels: pool.h's bodies walked by a grid-stride kernel, one
// thread per output (forward) or input (backward) element; neighbouring
// threads take neighbouring channels, so loads and stores are coalesced.
#include "kernels/for_each_cuda.cuh"
#include "kernels/pool.h"

namespace cuseq::detail {

// Flat index i -> (row, channel) of a channels-last tensor.
template <class Body>
struct RowChannelBody {
  Body body;
  std::int64_t channels;
  __device__ void operator()(std::int64_t i) const {
    body.template tile<1>(i / channels, i % channels);
  }
};

template <class Body>
void for_each_row_channel(Cuda, std::int64_t rows, std::int64_t channels, std::int64_t,
                          const Body& body) {
  for_each_index(Cuda{}, rows * channels, RowChannelBody<Body>{body, channels});
}

// After the walker: PoolKernels' calls find it here.
template struct PoolKernels<Cuda>;

}  // namespace cuseq::detail
