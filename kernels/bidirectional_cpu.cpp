// CPU twins of Bidirectional's merge kernels: bidirectional.h's bodies walked
// by cuseq's thread pool.
#include "kernels/bidirectional.h"
#include "kernels/parallel_for_cpu.h"

namespace cuseq::detail {

template struct BidirectionalKernels<Cpu>;

}  // namespace cuseq::detail
