// CUDA streams: the order in which GPU work on one device runs.
#pragma once

#include <cstddef>
#include <memory>

#include "cuseq/device.h"
#include "cuseq/export.h"

namespace cuseq {

// An owned CUDA stream (or, for the CPU, a no-op stand-in so that code can be
// written once). Kernels launch on the current stream of their device.
class CUSEQ_API Stream {
 public:
  // A new non-blocking stream on `device`.
  explicit Stream(Device device);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  Device device() const { return device_; }
  void* handle() const { return handle_; }  // cudaStream_t, nullptr on CPU
  void synchronize() const;

 private:
  Device device_;
  void* handle_ = nullptr;
};

// Makes `stream` the current stream of its device on this thread until the
// guard is destroyed; work and allocations then go to it.
class CUSEQ_API StreamGuard {
 public:
  explicit StreamGuard(const Stream& stream);
  ~StreamGuard();
  StreamGuard(const StreamGuard&) = delete;
  StreamGuard& operator=(const StreamGuard&) = delete;

 private:
  Device device_;
  void* previous_;
};

// One of a fixed set of streams per device (as PyTorch's stream pool), shared
// by the code that needs side streams on every call (a stack of recurrent
// layers in predict): streams, and what the runtime keeps per stream, are
// made once instead of on every call. `index` is taken modulo the pool size;
// callers order their work on it with stream_wait like on any stream.
CUSEQ_API const Stream& pooled_stream(Device device, std::size_t index);

// The current stream handle of `device` on this thread (nullptr: the default stream).
CUSEQ_API void* current_stream_handle(Device device);
// Work queued on stream `waiting` from now on starts only after the work queued
// on stream `signalling` so far (a CUDA event recorded and waited on; the host
// does not block). Handles as current_stream_handle gives them; no-op on the CPU.
CUSEQ_API void stream_wait(Device device, void* waiting, void* signalling);
// Waits until all work queued on `device` has finished.
CUSEQ_API void synchronize(Device device);

}  // namespace cuseq
