// The CUDA cast kernels: cast.h's bodies walked by a grid-stride kernel (one
// thread per element, coalesced 4-byte reads and 2-byte writes or the reverse).
#include "kernels/cast.h"
#include "kernels/for_each_cuda.cuh"

namespace cuseq::detail {

template struct CastKernels<Cuda>;

}  // namespace cuseq::detail
