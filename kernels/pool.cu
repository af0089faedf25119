// The CUDA pooling kernels: pool_walk.h walked by a grid-stride kernel, one
// thread per output (forward) or input (backward) element; neighbouring
// threads take neighbouring channels, so loads and stores are coalesced.
#include "kernels/for_each_cuda.cuh"
#include "kernels/pool_walk.h"

namespace cuseq::detail {

template struct PoolKernels<Cuda>;

}  // namespace cuseq::detail
