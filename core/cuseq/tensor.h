// Tensor: a contiguous, typed buffer on one device, shared between views.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "cuseq/device.h"
#include "cuseq/dtype.h"
#include "cuseq/error.h"
#include "cuseq/export.h"
#include "cuseq/shape.h"

namespace cuseq {

namespace detail {
class Storage;  // owns the bytes; returns them to the device's allocator
}

class CUSEQ_API Tensor {
 public:
  Tensor() = default;  // undefined: defined() is false

  // Uninitialised memory: cheapest, for outputs that are written in full.
  static Tensor empty(const Shape& shape, DType dtype = DType::float32,
                      Device device = Device::cpu());
  static Tensor zeros(const Shape& shape, DType dtype = DType::float32,
                      Device device = Device::cpu());
  // Copies host values of type T (float, double or int32_t) into a new tensor.
  template <class T>
  static Tensor from_vector(const std::vector<T>& values, const Shape& shape,
                            Device device = Device::cpu());

  bool defined() const { return storage_ != nullptr; }
  const Shape& shape() const { return shape_; }
  DType dtype() const { return dtype_; }
  Device device() const;
  int rank() const { return shape_.rank(); }
  std::int64_t dim(int axis) const { return shape_[axis]; }
  std::int64_t numel() const { return shape_.numel(); }
  std::size_t nbytes() const { return static_cast<std::size_t>(numel()) * dtype_size(dtype_); }
  std::string str() const;  // "float32[2, 3] on cpu": for error messages

  // Raw element pointer (a device pointer for CUDA tensors); checks that T
  // matches dtype().
  template <class T>
  T* data() const;
  void* raw_data() const;

  // Copies the elements to the host; checks that T matches dtype().
  template <class T>
  std::vector<T> to_vector() const;
  // Host copy of one element, e.g. a loss value.
  double item() const;

  // A copy on `device` (this tensor itself, shared, when already there).
  Tensor to(Device device) const;
  Tensor clone() const;
  // Overwrites this tensor's elements with `source`'s (same shape and dtype,
  // any device).
  void copy_from(const Tensor& source);
  void zero();

  // Views share storage: no copy. One extent may be -1 (inferred).
  Tensor reshape(std::vector<std::int64_t> dims) const;
  // Rows [begin, end) along the first axis, as a view.
  Tensor slice(std::int64_t begin, std::int64_t end) const;
  // Row `index` along the first axis, with that axis dropped.
  Tensor operator[](std::int64_t index) const;

 private:
  std::shared_ptr<detail::Storage> storage_;
  std::size_t offset_bytes_ = 0;
  Shape shape_;
  DType dtype_ = DType::float32;
};

// Throws a cuseq::Error naming `where` unless `tensor` has this shape.
CUSEQ_API void check_shape(const Tensor& tensor, const Shape& expected, const std::string& where,
                           const std::string& what = "input");
CUSEQ_API void check_dtype(const Tensor& tensor, DType expected, const std::string& where,
                           const std::string& what = "input");
CUSEQ_API void check_same_device(const Tensor& a, const Tensor& b, const std::string& where);

// Streams str() (which says "undefined tensor" for an undefined one): error
// messages take the tensor itself, and format it only on failure.
CUSEQ_API std::ostream& operator<<(std::ostream& out, const Tensor& tensor);

}  // namespace cuseq
