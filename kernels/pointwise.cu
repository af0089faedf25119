// The CUDA pointwise kernels: pointwise_ops.h walked by a grid-stride kernel.
#include "kernels/for_each_cuda.cuh"
#include "kernels/pointwise_ops.h"

namespace cuseq::detail {

// Instantiates the members defined in pointwise_ops.h for CUDA.
template struct Kernels<Cuda>;

}  // namespace cuseq::detail
