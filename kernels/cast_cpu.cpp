// The CPU twins of the cast kernels: cast.h's bodies walked by cuseq's thread pool.
#include "kernels/cast.h"
#include "kernels/parallel_for_cpu.h"

namespace cuseq::detail {

template struct CastKernels<Cpu>;

}  // namespace cuseq::detail
