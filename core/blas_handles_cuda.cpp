#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "core/detail/blas_handles.h"
#include "core/detail/cuda_check.h"

namespace cuseq::detail {
namespace {

// cuBLAS kernels may use their handle's workspace (split-K partial sums).
// GEMMs queued on two streams at once (Bidirectional's directions, the
// layers of a stacked wavefront) would share the handle's default workspace
// and overwrite each other's partials, so every non-default stream gets a
// workspace of its own (PyTorch does the same), freed with the stream.
class StreamWorkspaces {
 public:
  void* of(int device_index, cudaStream_t stream) {
    const std::lock_guard<std::mutex> lock(mutex_);
    void*& workspace = workspaces_[{device_index, stream}];
    if (workspace == nullptr) CUSEQ_CUDA_CHECK(cudaMalloc(&workspace, bytes(device_index)));
    return workspace;
  }
  void release(cudaStream_t stream) noexcept {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = workspaces_.begin(); it != workspaces_.end();) {
      if (it->first.second == stream) {
        // The stream's queued GEMMs may still read it: wait for them first.
        cudaStreamSynchronize(stream);
        cudaFree(it->second);
        it = workspaces_.erase(it);
      } else {
        ++it;
      }
    }
  }
  // cuBLAS' advice: 32 MiB on Hopper and later, 4 MiB before.
  static std::size_t bytes(int device_index) {
    int major = 0;
    CUSEQ_CUDA_CHECK(
        cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device_index));
    return std::size_t{major >= 9 ? 32 : 4} << 20;
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<int, cudaStream_t>, void*> workspaces_;
};

StreamWorkspaces& stream_workspaces() {
  // Never destroyed: at exit the CUDA context may already be gone.
  static StreamWorkspaces* const workspaces = new StreamWorkspaces();
  return *workspaces;
}

}  // namespace

cublasHandle_t cublas_handle(int device_index, cudaStream_t stream) {
  // Handles are not thread-safe, so each thread keeps its own. They are never
  // destroyed: at exit the CUDA context may already be gone, and the driver
  // reclaims them anyway (PyTorch does the same).
  thread_local std::unordered_map<int, cublasHandle_t> handles;
  cublasHandle_t& handle = handles[device_index];
  if (handle == nullptr) CUSEQ_CUBLAS_CHECK(cublasCreate(&handle));
  // cublasSetStream also puts the handle back on its default workspace.
  CUSEQ_CUBLAS_CHECK(cublasSetStream(handle, stream));
  if (stream != nullptr) {
    CUSEQ_CUBLAS_CHECK(cublasSetWorkspace(handle, stream_workspaces().of(device_index, stream),
                                          StreamWorkspaces::bytes(device_index)));
  }
  return handle;
}

void release_cublas_workspace(cudaStream_t stream) noexcept { stream_workspaces().release(stream); }

}  // namespace cuseq::detail
