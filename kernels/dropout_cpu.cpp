// The CPU twins of the dropout kernels: dropout.h's bodies walked by cuseq's thread pool.
#include "kernels/dropout.h"
#include "kernels/parallel_for_cpu.h"

namespace cuseq::detail {

template struct DropoutKernels<Cpu>;

}  // namespace cuseq::detail
