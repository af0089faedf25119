// CPU twins of the recurrent pointwise kernels: recurrent_steps.h walked by OpenMP.
#include "kernels/parallel_for_cpu.h"
#include "kernels/recurrent_steps.h"

namespace cuseq::detail {

template struct RecurrentKernels<Cpu>;
template void RecurrentKernels<Cpu>::forward_step<float>(const StepForward<float>&);
template void RecurrentKernels<Cpu>::forward_step<double>(const StepForward<double>&);
template void RecurrentKernels<Cpu>::backward_step<float>(const StepBackward<float>&);
template void RecurrentKernels<Cpu>::backward_step<double>(const StepBackward<double>&);

}  // namespace cuseq::detail
