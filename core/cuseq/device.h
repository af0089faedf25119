// Where a tensor lives: the host (CPU) or one CUDA device.
#pragma once

#include <iosfwd>
#include <string>

#include "cuseq/export.h"

namespace cuseq {

class CUSEQ_API Device {
 public:
  enum class Kind { cpu, cuda };

  static Device cpu() { return Device(Kind::cpu, 0); }
  static Device cuda(int index = 0) { return Device(Kind::cuda, index); }
  // Parses "cpu", "cuda" or "cuda:N"; throws cuseq::Error on anything else.
  static Device parse(const std::string& text);

  Kind kind() const { return kind_; }
  int index() const { return index_; }
  bool is_cpu() const { return kind_ == Kind::cpu; }
  bool is_cuda() const { return kind_ == Kind::cuda; }
  std::string str() const;  // "cpu" or "cuda:N"

  bool operator==(const Device& other) const {
    return kind_ == other.kind_ && index_ == other.index_;
  }
  bool operator!=(const Device& other) const { return !(*this == other); }

 private:
  Device(Kind kind, int index) : kind_(kind), index_(index) {}
  Kind kind_;
  int index_;
};

// True when cuseq was built with CUDA and at least one GPU can be used. Any
// error from the CUDA runtime (no driver, no device) means "no GPU".
CUSEQ_API bool cuda_available();
// Number of usable GPUs (0 without CUDA or without a driver).
CUSEQ_API int cuda_device_count();
// True when this library was compiled with its CUDA backend.
CUSEQ_API bool built_with_cuda();
// Why no GPU can be used ("" when one can): for test skips and error messages.
CUSEQ_API std::string cuda_unavailable_reason();

// The GPU when one is available, else the CPU: what examples and users usually want.
CUSEQ_API Device default_device();

// Streams str(): error messages take the device itself, and format it only on failure.
CUSEQ_API std::ostream& operator<<(std::ostream& out, Device device);

}  // namespace cuseq
