// The CPU twin of the time-block copy: time_block.h's body walked by cuseq's thread pool.
#include "kernels/parallel_for_cpu.h"
#include "kernels/time_block.h"

namespace cuseq::detail {

template struct TimeBlockKernels<Cpu>;

}  // namespace cuseq::detail
