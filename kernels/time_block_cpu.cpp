// The CPU twin of the time-block copy: time_block_pointwise.h walked by cuseq's thread pool.
#include "kernels/parallel_for_cpu.h"
#include "kernels/time_block_pointwise.h"

namespace cuseq::detail {

template struct TimeBlockKernels<Cpu>;

}  // namespace cuseq::detail
