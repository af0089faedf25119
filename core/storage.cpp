#include "core/detail/storage.h"

#include "core/detail/host_allocator.h"
#include "core/detail/runtime.h"

namespace cuseq::detail {

Storage::Storage(Device device, std::size_t bytes)
    : device_(device),
      bytes_(bytes),
      data_(device.is_cpu() ? host_allocate(bytes) : gpu_allocate(device, bytes)) {}

Storage::~Storage() {
  if (device_.is_cpu()) {
    host_deallocate(data_, bytes_);
  } else {
    gpu_deallocate(device_, data_);
  }
}

}  // namespace cuseq::detail
