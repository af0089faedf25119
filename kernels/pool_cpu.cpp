// The CPU twins of the pooling kernels: pool_walk.h walked by OpenMP.
#include "kernels/parallel_for_cpu.h"
#include "kernels/pool_walk.h"

namespace cuseq::detail {

template struct PoolKernels<Cpu>;

}  // namespace cuseq::detail
