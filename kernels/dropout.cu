// The CUDA dropout kernels: dropout.h's bodies walked by a grid-stride kernel
// (one thread per element, coalesced; each thread computes its own Philox bits).
#include "kernels/dropout.h"
#include "kernels/for_each_cuda.cuh"

namespace cuseq::detail {

template struct DropoutKernels<Cuda>;

}  // namespace cuseq::detail
