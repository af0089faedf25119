// The CPU twins of the dropout kernels: dropout_pointwise.h walked by cuseq's thread pool.
#include "kernels/dropout_pointwise.h"
#include "kernels/parallel_for_cpu.h"

namespace cuseq::detail {

template struct DropoutKernels<Cpu>;

}  // namespace cuseq::detail
