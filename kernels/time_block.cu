// The CUDA time-block copy: time_block.h's body walked by a grid-stride
// kernel (one thread per element; each sample's block is contiguous, so reads
// and writes are coalesced).
#include "kernels/for_each_cuda.cuh"
#include "kernels/time_block.h"

namespace cuseq::detail {

template struct TimeBlockKernels<Cuda>;

}  // namespace cuseq::detail
