#include <map>
#include <mutex>

#include "core/detail/cuda_check.h"
#include "kernels/cuda_launch.h"
#include "kernels/cudnn_handle.h"

namespace cuseq::detail {

cudnnHandle_t cudnn_handle() {
  static std::mutex mutex;
  static std::map<int, cudnnHandle_t> handles;
  int device = 0;
  CUSEQ_CUDA_CHECK(cudaGetDevice(&device));
  std::lock_guard<std::mutex> lock(mutex);
  cudnnHandle_t& handle = handles[device];
  if (handle == nullptr) CUSEQ_CUDNN_CHECK(cudnnCreate(&handle));
  CUSEQ_CUDNN_CHECK(cudnnSetStream(handle, launch_stream()));
  return handle;
}

}  // namespace cuseq::detail
