// Where CUDA kernels launch: the GPU chosen by select_gpu() (backend.h) and
// its current stream, so the kernels of one op, and of ops on one stream, run
// in order.
#pragma once

#include <cuda_runtime.h>

namespace cuseq::detail {

cudaStream_t launch_stream();

}  // namespace cuseq::detail
