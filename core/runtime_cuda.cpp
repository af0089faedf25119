// The device runtime of the CUDA build.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/detail/blas_handles.h"
#include "core/detail/caching_allocator.h"
#include "core/detail/cuda_check.h"
#include "core/detail/runtime.h"
#include "cuseq/error.h"

namespace cuseq {

bool built_with_cuda() { return true; }

namespace detail {
namespace {

struct DeviceQuery {
  int count = 0;
  std::string reason;
};

// Asked once: any error (no driver, no device) means "no GPU".
const DeviceQuery& device_query() {
  static const DeviceQuery query = [] {
    DeviceQuery result;
    const cudaError_t status = cudaGetDeviceCount(&result.count);
    if (status != cudaSuccess) {
      cudaGetLastError();
      result.count = 0;
      result.reason = std::string("cudaGetDeviceCount failed: ") + cudaGetErrorString(status);
    } else if (result.count == 0) {
      result.reason = "no CUDA device is present";
    }
    return result;
  }();
  return query;
}

CachingAllocator& allocator_of(int device) {
  static std::mutex mutex;
  static std::unordered_map<int, std::unique_ptr<CachingAllocator>> allocators;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = allocators[device];
  if (!slot) slot = std::make_unique<CachingAllocator>(device);
  return *slot;
}

// The current stream per device, per thread (the legacy default stream unless a
// StreamGuard says otherwise).
std::unordered_map<int, void*>& current_streams() {
  thread_local std::unordered_map<int, void*> streams;
  return streams;
}

cudaStream_t stream_of(Device device) {
  return static_cast<cudaStream_t>(gpu_current_stream(device));
}

}  // namespace

void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line) {
  cudaGetLastError();
  fail("CUDA", call, " failed at ", file, ":", line, ": ", cudaGetErrorName(status), " (",
       cudaGetErrorString(status), ")");
}

void throw_cublas_error(cublasStatus_t status, const char* call, const char* file, int line) {
  fail("cuBLAS", call, " failed at ", file, ":", line, ": ", cublasGetStatusName(status), " (",
       cublasGetStatusString(status), ")");
}

#if defined(CUSEQ_CUDNN_HEADER)
void throw_cudnn_error(cudnnStatus_t status, const char* call, const char* file, int line) {
  fail("cuDNN", call, " failed at ", file, ":", line, ": ", cudnnGetErrorString(status));
}
#endif

int gpu_count() noexcept { return device_query().count; }
std::string gpu_unavailable_reason() { return device_query().reason; }

void require_gpu(Device device, const std::string& where) {
  check(gpu_count() > 0, where, "asked for ", device, " but no GPU can be used (",
        gpu_unavailable_reason(), "); check cuseq::cuda_available() first");
  check(device.index() < gpu_count(), where, "asked for ", device, " but only ", gpu_count(),
        " GPU(s) are present");
}

void* gpu_allocate(Device device, std::size_t bytes) {
  return allocator_of(device.index()).allocate(bytes, gpu_current_stream(device));
}

void gpu_deallocate(Device device, void* pointer) noexcept {
  allocator_of(device.index()).deallocate(pointer);
}

MemoryStats gpu_memory_stats(Device device) {
  require_gpu(device, "memory_stats");
  return allocator_of(device.index()).stats();
}
void gpu_reset_peak(Device device) { allocator_of(device.index()).reset_peak(); }
void gpu_empty_cache(Device device) {
  require_gpu(device, "empty_cache");
  allocator_of(device.index()).empty_cache();
}

void copy_bytes(void* destination, Device destination_device, const void* source,
                Device source_device, std::size_t bytes) {
  if (bytes == 0) return;
  if (destination_device.is_cpu() && source_device.is_cpu()) {
    std::memcpy(destination, source, bytes);
    return;
  }
  const Device gpu = destination_device.is_cuda() ? destination_device : source_device;
  CUSEQ_CUDA_CHECK(cudaSetDevice(gpu.index()));
  const cudaStream_t stream = stream_of(gpu);
  CUSEQ_CUDA_CHECK(cudaMemcpyAsync(destination, source, bytes, cudaMemcpyDefault, stream));
  // Host memory is pageable: wait so the caller may read or reuse it at once.
  if (destination_device.is_cpu() || source_device.is_cpu()) {
    CUSEQ_CUDA_CHECK(cudaStreamSynchronize(stream));
  }
}

void gpu_memset_zero(void* pointer, Device device, std::size_t bytes) {
  CUSEQ_CUDA_CHECK(cudaSetDevice(device.index()));
  CUSEQ_CUDA_CHECK(cudaMemsetAsync(pointer, 0, bytes, stream_of(device)));
}

void* gpu_create_stream(Device device) {
  require_gpu(device, "Stream");
  CUSEQ_CUDA_CHECK(cudaSetDevice(device.index()));
  cudaStream_t stream = nullptr;
  CUSEQ_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  return stream;
}

void gpu_destroy_stream(Device, void* stream) noexcept {
  release_cublas_workspace(static_cast<cudaStream_t>(stream));
  cudaStreamDestroy(static_cast<cudaStream_t>(stream));
}

void gpu_synchronize_stream(Device device, void* stream) {
  CUSEQ_CUDA_CHECK(cudaSetDevice(device.index()));
  CUSEQ_CUDA_CHECK(cudaStreamSynchronize(static_cast<cudaStream_t>(stream)));
}

void gpu_synchronize_device(Device device) {
  CUSEQ_CUDA_CHECK(cudaSetDevice(device.index()));
  CUSEQ_CUDA_CHECK(cudaDeviceSynchronize());
}

void gpu_stream_wait(Device device, void* waiting, void* signalling) {
  CUSEQ_CUDA_CHECK(cudaSetDevice(device.index()));
  cudaEvent_t event = nullptr;
  CUSEQ_CUDA_CHECK(cudaEventCreateWithFlags(&event, cudaEventDisableTiming));
  // Destroying the event at once is allowed: the wait keeps what it needs.
  const cudaError_t recorded = cudaEventRecord(event, static_cast<cudaStream_t>(signalling));
  const cudaError_t waited = recorded == cudaSuccess
                                 ? cudaStreamWaitEvent(static_cast<cudaStream_t>(waiting), event, 0)
                                 : recorded;
  cudaEventDestroy(event);
  CUSEQ_CUDA_CHECK(waited);
}

void* gpu_current_stream(Device device) {
  const auto& streams = current_streams();
  const auto found = streams.find(device.index());
  return found == streams.end() ? nullptr : found->second;
}

void gpu_set_current_stream(Device device, void* stream) {
  current_streams()[device.index()] = stream;
}

}  // namespace detail
}  // namespace cuseq
