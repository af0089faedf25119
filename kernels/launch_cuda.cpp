#include "core/detail/cuda_check.h"
#include "cuseq/stream.h"
#include "kernels/backend.h"
#include "kernels/cuda_launch.h"

namespace cuseq::detail {
namespace {

thread_local cudaStream_t selected_stream = nullptr;

}  // namespace

void select_gpu(Device device) {
  CUSEQ_CUDA_CHECK(cudaSetDevice(device.index()));
  selected_stream = static_cast<cudaStream_t>(current_stream_handle(device));
}

cudaStream_t launch_stream() { return selected_stream; }

}  // namespace cuseq::detail
