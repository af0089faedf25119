// CUDA merge kernels of Bidirectional: bidirectional.h's bodies walked by a
// grid-stride kernel, one thread per forward element; the forward reads and
// writes are coalesced, the backward direction's mirrored row is read with a
// contiguous run of units, so every access is coalesced along units.
#include "kernels/bidirectional.h"
#include "kernels/for_each_cuda.cuh"

namespace cuseq::detail {

template struct BidirectionalKernels<Cuda>;

}  // namespace cuseq::detail
