// CUDA recurrent pointwise kernels: recurrent.h walked by a grid-stride
// kernel, one thread per (sample, unit) handling all of the cell's gates, so
// a step reads its G gate inputs once, coalesced along units, in one launch.
#include "kernels/for_each_cuda.cuh"
#include "kernels/recurrent.h"

namespace cuseq::detail {

// Flat index i -> (sample, unit); the cell stays a runtime value on the GPU
// (a uniform branch), which keeps the kernel count down.
template <class Body>
struct SampleUnitBody {
  Body body;
  RecurrentCell cell;
  std::int64_t units;
  __device__ void operator()(std::int64_t i) const {
    const std::int64_t sample = i / units;
    body(cell, sample, i % units, body.is_real(sample));
  }
};

template <class Body>
void for_each_sample_unit(Cuda, RecurrentCell cell, std::int64_t batch, std::int64_t units,
                          const Body& body) {
  for_each_index(Cuda{}, batch * units, SampleUnitBody<Body>{body, cell, units});
}

template struct RecurrentKernels<Cuda>;
template void RecurrentKernels<Cuda>::forward_step<float>(const StepForward<float>&);
template void RecurrentKernels<Cuda>::forward_step<double>(const StepForward<double>&);
template void RecurrentKernels<Cuda>::backward_step<float>(const StepBackward<float>&);
template void RecurrentKernels<Cuda>::backward_step<double>(const StepBackward<double>&);

}  // namespace cuseq::detail
