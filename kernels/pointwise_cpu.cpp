// The CPU twins of the pointwise kernels: pointwise_ops.h walked by cuseq's thread pool.
#include "kernels/parallel_for_cpu.h"
#include "kernels/pointwise_ops.h"

namespace cuseq::detail {

// Instantiates the members defined in pointwise_ops.h for the CPU.
template struct Kernels<Cpu>;

}  // namespace cuseq::detail
