#include "cuseq/stream.h"

#include <array>
#include <map>
#include <mutex>
#include <utility>

#include "core/detail/runtime.h"

namespace cuseq {

const Stream& pooled_stream(Device device, std::size_t index) {
  constexpr std::size_t kPoolSize = 8;
  using Pool = std::array<std::unique_ptr<Stream>, kPoolSize>;
  static std::mutex mutex;
  // Never destroyed: at exit the CUDA context may already be gone.
  static auto* const pools = new std::map<std::pair<bool, int>, Pool>();
  const std::lock_guard<std::mutex> lock(mutex);
  std::unique_ptr<Stream>& stream = (*pools)[{device.is_cuda(), device.index()}][index % kPoolSize];
  if (!stream) stream = std::make_unique<Stream>(device);
  return *stream;
}

Stream::Stream(Device device) : device_(device) {
  if (device.is_cuda()) handle_ = detail::gpu_create_stream(device);
}

Stream::~Stream() {
  if (handle_ != nullptr) detail::gpu_destroy_stream(device_, handle_);
}

void Stream::synchronize() const {
  if (device_.is_cuda()) detail::gpu_synchronize_stream(device_, handle_);
}

StreamGuard::StreamGuard(const Stream& stream)
    : device_(stream.device()), previous_(current_stream_handle(stream.device())) {
  if (device_.is_cuda()) detail::gpu_set_current_stream(device_, stream.handle());
}

StreamGuard::~StreamGuard() {
  if (device_.is_cuda()) detail::gpu_set_current_stream(device_, previous_);
}

void* current_stream_handle(Device device) {
  return device.is_cuda() ? detail::gpu_current_stream(device) : nullptr;
}

void stream_wait(Device device, void* waiting, void* signalling) {
  if (device.is_cuda() && waiting != signalling) {
    detail::gpu_stream_wait(device, waiting, signalling);
  }
}

void synchronize(Device device) {
  if (device.is_cuda()) detail::gpu_synchronize_device(device);
}

}  // namespace cuseq
