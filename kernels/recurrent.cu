// CUDA recurrent pointwise kernels: recurrent_steps.h walked by a grid-stride
// kernel, one thread per (sample, unit) handling all of the cell's gates, so
// a step reads its G gate inputs once, coalesced along units, in one launch.
#include "kernels/for_each_cuda.cuh"
#include "kernels/recurrent_steps.h"

namespace cuseq::detail {

template struct RecurrentKernels<Cuda>;
template void RecurrentKernels<Cuda>::forward_step<float>(const StepForward<float>&);
template void RecurrentKernels<Cuda>::forward_step<double>(const StepForward<double>&);
template void RecurrentKernels<Cuda>::backward_step<float>(const StepBackward<float>&);
template void RecurrentKernels<Cuda>::backward_step<double>(const StepBackward<double>&);

}  // namespace cuseq::detail
