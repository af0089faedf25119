// The CUDA time-block copy: time_block_pointwise.h walked by a grid-stride
// kernel (one thread per element; each sample's block is contiguous, so reads
// and writes are coalesced).
#include "kernels/for_each_cuda.cuh"
#include "kernels/time_block_pointwise.h"

namespace cuseq::detail {

template struct TimeBlockKernels<Cuda>;

}  // namespace cuseq::detail
