// The CPU twins of the cast kernels: cast_pointwise.h walked by cuseq's thread pool.
#include "kernels/cast_pointwise.h"
#include "kernels/parallel_for_cpu.h"

namespace cuseq::detail {

template struct CastKernels<Cpu>;

}  // namespace cuseq::detail
