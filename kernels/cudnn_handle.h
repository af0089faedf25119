// The cuDNN handle of the current GPU for the comparison backends
// (cudnn_conv_cuda.cpp, cudnn_rnn_cuda.cpp): one per GPU, made on first use
// and kept for the process. CUDA builds only.
#pragma once

#include <cudnn.h>

namespace cuseq::detail {

// Bound to launch_stream() on every call, so cuDNN work queues behind ours.
cudnnHandle_t cudnn_handle();

}  // namespace cuseq::detail
