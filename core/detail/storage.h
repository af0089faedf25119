// The bytes behind one or more tensor views, returned to their allocator when
// the last view goes away.
#pragma once

#include <cstddef>

#include "cuseq/device.h"

namespace cuseq::detail {

class Storage {
 public:
  Storage(Device device, std::size_t bytes);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  Device device() const { return device_; }
  std::size_t bytes() const { return bytes_; }
  void* data() const { return data_; }

 private:
  Device device_;
  std::size_t bytes_;
  void* data_;
};

}  // namespace cuseq::detail
