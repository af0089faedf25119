// The CUDA runtime calls of the emulated GPU, run synchronously on host
// memory: a copy or a memset is done when it returns, so streams and events
// only have to be valid handles. Device allocations are host allocations
// registered with their size, so that copies, cuBLAS and cub refuse ranges
// outside them (as the device reports an invalid value or an illegal
// address), and AddressSanitizer sees every kernel access.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

#include "cuseq_emulator/device_memory.h"
#include "device_limits.h"
#include "runtime_state.h"

#if defined(__SANITIZE_ADDRESS__)
#define CUSEQ_EMULATOR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CUSEQ_EMULATOR_ASAN 1
#endif
#endif
#if defined(CUSEQ_EMULATOR_ASAN)
#include <sanitizer/asan_interface.h>
#endif

struct CUstream_st {
  int device;
};
struct CUevent_st {
  int device;
};

namespace cuseq::emulator {
namespace {

constexpr std::size_t kAllocationAlignment = 256;  // as cudaMalloc's
// Fresh device memory is all ones: NaN as float or double, -1 as an integer.
constexpr int kUninitializedByte = 0xFF;

thread_local cudaError_t last_error = cudaSuccess;
thread_local int current_device = 0;

struct Allocation {
  std::size_t bytes;   // allocated
  std::size_t usable;  // the part the owner may use (set_usable_bytes)
  int device;
};

// Live handles and allocations, shared by every host thread.
struct Registry {
  std::mutex mutex;
  std::map<const unsigned char*, Allocation> allocations;
  std::size_t allocated_bytes = 0;
  std::set<const CUstream_st*> streams;
  std::set<const CUevent_st*> events;
  std::unordered_map<const void*, std::size_t> max_dynamic_shared;
};

Registry& registry() {
  static auto* const instance = new Registry();  // never destroyed: used until exit
  return *instance;
}

// CUDA_VISIBLE_DEVICES as CUDA reads it: unset, one emulated device; else
// as many as it lists ("" or "-1": none).
int visible_devices() {
  static const int count = [] {
    const char* text = std::getenv("CUDA_VISIBLE_DEVICES");
    if (text == nullptr) return 1;
    int listed = 0;
    for (const char* p = text; *p != '\0';) {
      if (*p == ',') {
        ++p;
        continue;
      }
      char* end = nullptr;
      const long index = std::strtol(p, &end, 10);
      if (end == p || index < 0) break;  // CUDA stops at the first invalid entry
      ++listed;
      p = end;
    }
    return listed;
  }();
  return count;
}

// The allocation that holds `pointer`, or null; the registry's mutex is held.
const std::pair<const unsigned char* const, Allocation>* find_allocation(const void* pointer) {
  auto& allocations = registry().allocations;
  const auto* p = static_cast<const unsigned char*>(pointer);
  auto it = allocations.upper_bound(p);
  if (it == allocations.begin()) return nullptr;
  --it;
  return p < it->first + it->second.bytes ? &*it : nullptr;
}

std::string range_problem_locked(const void* pointer, std::size_t bytes) {
  const auto* found = find_allocation(pointer);
  if (found == nullptr) {
    char text[96];
    std::snprintf(text, sizeof(text), "%p is not in any device allocation", pointer);
    return text;
  }
  const std::size_t offset =
      static_cast<std::size_t>(static_cast<const unsigned char*>(pointer) - found->first);
  if (offset + bytes > found->second.usable) {
    return "bytes [" + std::to_string(offset) + ", " + std::to_string(offset + bytes) +
           ") of a device allocation of which " + std::to_string(found->second.usable) +
           " bytes are in use";
  }
  return "";
}

bool is_device_locked(const void* pointer) { return find_allocation(pointer) != nullptr; }

// A copy's device side must lie in one allocation, as cudaMemcpy checks.
cudaError_t check_copy_side(const void* pointer, std::size_t bytes, bool device, const char* side) {
  if (!device || bytes == 0) return cudaSuccess;
  const std::string problem = range_problem_locked(pointer, bytes);
  if (problem.empty()) return cudaSuccess;
  report(std::string("cudaMemcpy ") + side + ": " + problem);
  return cudaErrorInvalidValue;
}

cudaError_t check_device(int device) {
  if (visible_devices() == 0) return cudaErrorNoDevice;
  return device >= 0 && device < visible_devices() ? cudaSuccess : cudaErrorInvalidDevice;
}

cudaError_t check_stream(cudaStream_t stream) {
  if (stream == nullptr) return cudaSuccess;
  const std::lock_guard<std::mutex> lock(registry().mutex);
  return registry().streams.count(stream) != 0 ? cudaSuccess : cudaErrorInvalidResourceHandle;
}

void poison(const unsigned char* begin, std::size_t bytes, bool poisoned) {
#if defined(CUSEQ_EMULATOR_ASAN)
  if (poisoned) {
    ASAN_POISON_MEMORY_REGION(begin, bytes);
  } else {
    ASAN_UNPOISON_MEMORY_REGION(begin, bytes);
  }
#else
  (void)begin, (void)bytes, (void)poisoned;
#endif
}

}  // namespace

cudaError_t record(cudaError_t error) {
  if (error != cudaSuccess) last_error = error;
  return error;
}

bool is_live_stream(cudaStream_t stream) { return check_stream(stream) == cudaSuccess; }

std::size_t max_dynamic_shared_bytes(const void* kernel) {
  const std::lock_guard<std::mutex> lock(registry().mutex);
  const auto found = registry().max_dynamic_shared.find(kernel);
  return found == registry().max_dynamic_shared.end() ? kSharedBytesPerBlock : found->second;
}

int blocks_per_multiprocessor(int block_size, std::size_t dynamic_shared_bytes) {
  if (block_size <= 0 || block_size > kMaxThreadsPerBlock) return 0;
  int blocks = std::min(kMaxBlocksPerMultiprocessor, kMaxThreadsPerMultiprocessor / block_size);
  if (dynamic_shared_bytes > 0) {
    blocks = std::min<int>(blocks,
                           static_cast<int>(kSharedBytesPerMultiprocessor / dynamic_shared_bytes));
  }
  return blocks;
}

std::string device_range_problem(const void* pointer, std::size_t bytes) {
  const std::lock_guard<std::mutex> lock(registry().mutex);
  return range_problem_locked(pointer, bytes);
}

void set_usable_bytes(const void* allocation, std::size_t usable) {
  const std::lock_guard<std::mutex> lock(registry().mutex);
  const auto found = registry().allocations.find(static_cast<const unsigned char*>(allocation));
  if (found == registry().allocations.end()) {
    report("set_usable_bytes of a pointer that is not a device allocation");
    std::abort();
  }
  Allocation& a = found->second;
  a.usable = std::min(usable, a.bytes);
  poison(found->first, a.usable, false);
  poison(found->first + a.usable, a.bytes - a.usable, true);
}

void report(const std::string& message) {
  std::fprintf(stderr, "cuseq GPU emulator: %s\n", message.c_str());
  std::fflush(stderr);
}

}  // namespace cuseq::emulator

using cuseq::emulator::record;
using cuseq::emulator::registry;

cudaError_t cudaGetLastError() {
  const cudaError_t error = cuseq::emulator::last_error;
  cuseq::emulator::last_error = cudaSuccess;
  return error;
}

cudaError_t cudaPeekAtLastError() { return cuseq::emulator::last_error; }

const char* cudaGetErrorName(cudaError_t error) {
  switch (error) {
    case cudaSuccess:
      return "cudaSuccess";
    case cudaErrorInvalidValue:
      return "cudaErrorInvalidValue";
    case cudaErrorMemoryAllocation:
      return "cudaErrorMemoryAllocation";
    case cudaErrorInvalidConfiguration:
      return "cudaErrorInvalidConfiguration";
    case cudaErrorInvalidDevicePointer:
      return "cudaErrorInvalidDevicePointer";
    case cudaErrorInvalidMemcpyDirection:
      return "cudaErrorInvalidMemcpyDirection";
    case cudaErrorNoDevice:
      return "cudaErrorNoDevice";
    case cudaErrorInvalidDevice:
      return "cudaErrorInvalidDevice";
    case cudaErrorInvalidResourceHandle:
      return "cudaErrorInvalidResourceHandle";
    case cudaErrorIllegalAddress:
      return "cudaErrorIllegalAddress";
    case cudaErrorLaunchOutOfResources:
      return "cudaErrorLaunchOutOfResources";
    case cudaErrorLaunchFailure:
      return "cudaErrorLaunchFailure";
    case cudaErrorCooperativeLaunchTooLarge:
      return "cudaErrorCooperativeLaunchTooLarge";
  }
  return "cudaErrorUnknown";
}

const char* cudaGetErrorString(cudaError_t error) {
  switch (error) {
    case cudaSuccess:
      return "no error";
    case cudaErrorInvalidValue:
      return "invalid argument";
    case cudaErrorMemoryAllocation:
      return "out of memory";
    case cudaErrorInvalidConfiguration:
      return "invalid configuration argument";
    case cudaErrorInvalidDevicePointer:
      return "invalid device pointer";
    case cudaErrorInvalidMemcpyDirection:
      return "invalid copy direction for memcpy";
    case cudaErrorNoDevice:
      return "no CUDA-capable device is detected";
    case cudaErrorInvalidDevice:
      return "invalid device ordinal";
    case cudaErrorInvalidResourceHandle:
      return "invalid resource handle";
    case cudaErrorIllegalAddress:
      return "an illegal memory access was encountered";
    case cudaErrorLaunchOutOfResources:
      return "too many resources requested for launch";
    case cudaErrorLaunchFailure:
      return "unspecified launch failure (the emulator printed the fault above)";
    case cudaErrorCooperativeLaunchTooLarge:
      return "too many blocks in cooperative launch";
  }
  return "unknown error";
}

cudaError_t cudaGetDeviceCount(int* count) {
  *count = cuseq::emulator::visible_devices();
  return record(*count == 0 ? cudaErrorNoDevice : cudaSuccess);
}

cudaError_t cudaSetDevice(int device) {
  const cudaError_t error = cuseq::emulator::check_device(device);
  if (error == cudaSuccess) cuseq::emulator::current_device = device;
  return record(error);
}

cudaError_t cudaGetDevice(int* device) {
  *device = cuseq::emulator::current_device;
  return record(cuseq::emulator::visible_devices() == 0 ? cudaErrorNoDevice : cudaSuccess);
}

cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attribute, int device) {
  using namespace cuseq::emulator;
  if (const cudaError_t error = check_device(device); error != cudaSuccess) return record(error);
  switch (attribute) {
    case cudaDevAttrMaxThreadsPerBlock:
      *value = kMaxThreadsPerBlock;
      break;
    case cudaDevAttrMaxBlockDimX:
      *value = static_cast<int>(kMaxBlockDim[0]);
      break;
    case cudaDevAttrMaxGridDimX:
      *value = static_cast<int>(kMaxGridDim[0]);
      break;
    case cudaDevAttrMaxSharedMemoryPerBlock:
    case cudaDevAttrMaxSharedMemoryPerBlockOptin:
      *value = static_cast<int>(kSharedBytesPerBlock);
      break;
    case cudaDevAttrWarpSize:
      *value = 32;
      break;
    case cudaDevAttrMultiProcessorCount:
      *value = kMultiprocessors;
      break;
    case cudaDevAttrMaxThreadsPerMultiProcessor:
      *value = kMaxThreadsPerMultiprocessor;
      break;
    case cudaDevAttrComputeCapabilityMajor:
      *value = kComputeCapabilityMajor;
      break;
    case cudaDevAttrComputeCapabilityMinor:
      *value = kComputeCapabilityMinor;
      break;
    case cudaDevAttrMaxSharedMemoryPerMultiprocessor:
      *value = static_cast<int>(kSharedBytesPerMultiprocessor);
      break;
    case cudaDevAttrCooperativeLaunch:
      *value = 1;
      break;
    default:
      return record(cudaErrorInvalidValue);
  }
  return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }

cudaError_t cudaMemGetInfo(std::size_t* free_bytes, std::size_t* total_bytes) {
  const std::lock_guard<std::mutex> lock(registry().mutex);
  *total_bytes = cuseq::emulator::kGlobalMemoryBytes;
  *free_bytes = *total_bytes - registry().allocated_bytes;
  return cudaSuccess;
}

cudaError_t cudaMalloc(void** pointer, std::size_t bytes) {
  *pointer = nullptr;
  if (bytes == 0) return cudaSuccess;
  const std::lock_guard<std::mutex> lock(registry().mutex);
  if (bytes > cuseq::emulator::kGlobalMemoryBytes - registry().allocated_bytes) {
    return record(cudaErrorMemoryAllocation);
  }
  if (posix_memalign(pointer, cuseq::emulator::kAllocationAlignment, bytes) != 0) {
    *pointer = nullptr;
    return record(cudaErrorMemoryAllocation);
  }
  std::memset(*pointer, cuseq::emulator::kUninitializedByte, bytes);
  registry().allocations[static_cast<const unsigned char*>(*pointer)] = {
      bytes, bytes, cuseq::emulator::current_device};
  registry().allocated_bytes += bytes;
  return cudaSuccess;
}

cudaError_t cudaFree(void* pointer) {
  if (pointer == nullptr) return cudaSuccess;
  const std::lock_guard<std::mutex> lock(registry().mutex);
  const auto found = registry().allocations.find(static_cast<const unsigned char*>(pointer));
  if (found == registry().allocations.end()) return record(cudaErrorInvalidValue);
  cuseq::emulator::poison(found->first, found->second.bytes, false);
  registry().allocated_bytes -= found->second.bytes;
  registry().allocations.erase(found);
  std::free(pointer);
  return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* destination, const void* source, std::size_t bytes,
                            cudaMemcpyKind kind, cudaStream_t stream) {
  using namespace cuseq::emulator;
  if (const cudaError_t error = check_stream(stream); error != cudaSuccess) return record(error);
  if (bytes == 0) return cudaSuccess;
  {
    const std::lock_guard<std::mutex> lock(registry().mutex);
    bool device_destination = false, device_source = false;
    switch (kind) {
      case cudaMemcpyHostToHost:
        break;
      case cudaMemcpyHostToDevice:
        device_destination = true;
        break;
      case cudaMemcpyDeviceToHost:
        device_source = true;
        break;
      case cudaMemcpyDeviceToDevice:
        device_destination = device_source = true;
        break;
      case cudaMemcpyDefault:  // unified addressing: the pointers tell
        device_destination = is_device_locked(destination);
        device_source = is_device_locked(source);
        break;
      default:
        return record(cudaErrorInvalidMemcpyDirection);
    }
    if (const cudaError_t error =
            check_copy_side(destination, bytes, device_destination, "destination");
        error != cudaSuccess) {
      return record(error);
    }
    if (const cudaError_t error = check_copy_side(source, bytes, device_source, "source");
        error != cudaSuccess) {
      return record(error);
    }
  }
  std::memmove(destination, source, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemcpy(void* destination, const void* source, std::size_t bytes,
                       cudaMemcpyKind kind) {
  return cudaMemcpyAsync(destination, source, bytes, kind, nullptr);
}

cudaError_t cudaMemsetAsync(void* pointer, int value, std::size_t bytes, cudaStream_t stream) {
  using namespace cuseq::emulator;
  if (const cudaError_t error = check_stream(stream); error != cudaSuccess) return record(error);
  if (bytes == 0) return cudaSuccess;
  if (const std::string problem = device_range_problem(pointer, bytes); !problem.empty()) {
    report("cudaMemset: " + problem);
    return record(cudaErrorInvalidValue);
  }
  std::memset(pointer, value, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemset(void* pointer, int value, std::size_t bytes) {
  return cudaMemsetAsync(pointer, value, bytes, nullptr);
}

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned) {
  *stream = new CUstream_st{cuseq::emulator::current_device};
  const std::lock_guard<std::mutex> lock(registry().mutex);
  registry().streams.insert(*stream);
  return cudaSuccess;
}

cudaError_t cudaStreamCreate(cudaStream_t* stream) {
  return cudaStreamCreateWithFlags(stream, cudaStreamDefault);
}

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
  {
    const std::lock_guard<std::mutex> lock(registry().mutex);
    if (stream == nullptr || registry().streams.erase(stream) == 0) {
      return record(cudaErrorInvalidResourceHandle);
    }
  }
  delete stream;
  return cudaSuccess;
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
  return record(cuseq::emulator::check_stream(stream));
}

cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned) {
  *event = new CUevent_st{cuseq::emulator::current_device};
  const std::lock_guard<std::mutex> lock(registry().mutex);
  registry().events.insert(*event);
  return cudaSuccess;
}

cudaError_t cudaEventCreate(cudaEvent_t* event) {
  return cudaEventCreateWithFlags(event, cudaEventDefault);
}

namespace {

cudaError_t check_event(cudaEvent_t event) {
  const std::lock_guard<std::mutex> lock(registry().mutex);
  return registry().events.count(event) != 0 ? cudaSuccess : cudaErrorInvalidResourceHandle;
}

}  // namespace

cudaError_t cudaEventDestroy(cudaEvent_t event) {
  {
    const std::lock_guard<std::mutex> lock(registry().mutex);
    if (registry().events.erase(event) == 0) return record(cudaErrorInvalidResourceHandle);
  }
  delete event;
  return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
  if (const cudaError_t error = check_event(event); error != cudaSuccess) return record(error);
  return record(cuseq::emulator::check_stream(stream));
}

cudaError_t cudaEventSynchronize(cudaEvent_t event) { return record(check_event(event)); }

cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned) {
  if (const cudaError_t error = check_event(event); error != cudaSuccess) return record(error);
  return record(cuseq::emulator::check_stream(stream));
}

cudaError_t cudaFuncSetAttribute(const void* kernel, cudaFuncAttribute attribute, int value) {
  if (attribute != cudaFuncAttributeMaxDynamicSharedMemorySize || value < 0 ||
      static_cast<std::size_t>(value) > cuseq::emulator::kSharedBytesPerBlock) {
    return record(cudaErrorInvalidValue);
  }
  const std::lock_guard<std::mutex> lock(registry().mutex);
  registry().max_dynamic_shared[kernel] = static_cast<std::size_t>(value);
  return cudaSuccess;
}

cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessor(int* blocks, const void*, int block_size,
                                                          std::size_t dynamic_shared_bytes) {
  *blocks = cuseq::emulator::blocks_per_multiprocessor(block_size, dynamic_shared_bytes);
  return cudaSuccess;
}
