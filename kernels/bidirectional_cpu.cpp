// CPU twins of Bidirectional's merge kernels: bidirectional_walk.h walked by cuseq's thread pool.
#include "kernels/bidirectional_walk.h"
#include "kernels/parallel_for_cpu.h"

namespace cuseq::detail {

template struct BidirectionalKernels<Cpu>;

}  // namespace cuseq::detail
