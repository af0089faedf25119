#include "cuseq/tensor.h"

#include <cstdint>
#include <cstring>
#include <new>
#include <ostream>

#include "core/detail/host_allocator.h"
#include "core/detail/runtime.h"
#include "core/detail/storage.h"

namespace cuseq {
namespace {

// Failures name the tensor: "Tensor: cannot allocate float32[2, 3] on cpu (24 bytes): ...".
std::shared_ptr<detail::Storage> allocate_storage(const Shape& shape, DType dtype, Device device) {
  if (device.is_cuda()) detail::require_gpu(device, "Tensor");
  // Built only on failure: every tensor of every op passes here.
  const auto what = [&] { return dtype_name(dtype) + shape.str() + " on " + device.str(); };
  std::size_t bytes = 0;
  // Shape keeps numel() within int64; the byte count must stay within what a pointer spans.
  if (__builtin_mul_overflow(static_cast<std::size_t>(shape.numel()), dtype_size(dtype), &bytes) ||
      bytes > static_cast<std::size_t>(PTRDIFF_MAX)) {
    fail("Tensor", "cannot allocate ", what(), ": its bytes exceed the address space");
  }
  try {
    return std::make_shared<detail::Storage>(device, bytes);
  } catch (const std::bad_alloc&) {
    fail("Tensor", "cannot allocate ", what(), " (", bytes, " bytes): out of memory",
         device.is_cpu() ? " (this machine has " + std::to_string(detail::host_memory_capacity()) +
                               " bytes of memory and swap)"
                         : std::string());
  } catch (const Error& error) {
    fail("Tensor", "cannot allocate ", what(), " (", bytes, " bytes): ", error.what());
  }
}

}  // namespace

Tensor Tensor::empty(const Shape& shape, DType dtype, Device device) {
  Tensor tensor;
  tensor.storage_ = allocate_storage(shape, dtype, device);
  tensor.shape_ = shape;
  tensor.dtype_ = dtype;
  return tensor;
}

Tensor Tensor::zeros(const Shape& shape, DType dtype, Device device) {
  Tensor tensor = empty(shape, dtype, device);
  tensor.zero();
  return tensor;
}

template <class T>
Tensor Tensor::from_vector(const std::vector<T>& values, const Shape& shape, Device device) {
  check(static_cast<std::int64_t>(values.size()) == shape.numel(), "Tensor::from_vector", "shape ",
        shape, " needs ", shape.numel(), " values, got ", values.size());
  Tensor tensor = empty(shape, dtype_of<T>(), device);
  detail::copy_bytes(tensor.raw_data(), device, values.data(), Device::cpu(), tensor.nbytes());
  return tensor;
}

Device Tensor::device() const {
  check(defined(), "Tensor", "the tensor is undefined (default-constructed)");
  return storage_->device();
}

std::string Tensor::str() const {
  if (!defined()) return "undefined tensor";
  return dtype_name(dtype_) + shape_.str() + " on " + device().str();
}

void* Tensor::raw_data() const {
  check(defined(), "Tensor", "the tensor is undefined (default-constructed)");
  return static_cast<char*>(storage_->data()) + offset_bytes_;
}

template <class T>
T* Tensor::data() const {
  check(dtype_ == dtype_of<T>(), "Tensor::data", "the tensor holds ", dtype_name(dtype_),
        ", asked for ", dtype_name(dtype_of<T>()));
  return static_cast<T*>(raw_data());
}

template <class T>
std::vector<T> Tensor::to_vector() const {
  check_dtype(*this, dtype_of<T>(), "Tensor::to_vector", "tensor");
  std::vector<T> values(static_cast<std::size_t>(numel()));
  detail::copy_bytes(values.data(), Device::cpu(), raw_data(), device(), nbytes());
  return values;
}

double Tensor::item() const {
  check(numel() == 1, "Tensor::item", "expected a tensor of one element, got ", *this);
  switch (dtype_) {
    case DType::float32:
      return to_vector<float>()[0];
    case DType::float64:
      return to_vector<double>()[0];
    case DType::int32:
      return to_vector<std::int32_t>()[0];
    default:
      fail("Tensor::item", "unsupported dtype ", dtype_name(dtype_));
  }
}

Tensor Tensor::to(Device device) const {
  if (device == this->device()) return *this;
  Tensor copy = empty(shape_, dtype_, device);
  copy.copy_from(*this);
  return copy;
}

Tensor Tensor::clone() const {
  Tensor copy = empty(shape_, dtype_, device());
  copy.copy_from(*this);
  return copy;
}

void Tensor::copy_from(const Tensor& source) {
  check_shape(source, shape_, "Tensor::copy_from", "source");
  check_dtype(source, dtype_, "Tensor::copy_from", "source");
  detail::copy_bytes(raw_data(), device(), source.raw_data(), source.device(), nbytes());
}

void Tensor::zero() {
  if (device().is_cpu()) {
    std::memset(raw_data(), 0, nbytes());
  } else {
    detail::gpu_memset_zero(raw_data(), device(), nbytes());
  }
}

Tensor Tensor::reshape(std::vector<std::int64_t> dims) const {
  std::int64_t known = 1;
  int inferred = -1;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == -1) {
      check(inferred < 0, "Tensor::reshape", "only one extent may be -1");
      inferred = static_cast<int>(i);
    } else {
      known *= dims[i];
    }
  }
  if (inferred >= 0 && known > 0) dims[static_cast<std::size_t>(inferred)] = numel() / known;
  Tensor view = *this;
  view.shape_ = Shape(dims);
  check(view.numel() == numel(), "Tensor::reshape", "cannot view ", *this, " as ", view.shape_);
  return view;
}

Tensor Tensor::slice(std::int64_t begin, std::int64_t end) const {
  check(rank() >= 1, "Tensor::slice", "needs a tensor of rank >= 1, got ", *this);
  check(0 <= begin && begin <= end && end <= dim(0), "Tensor::slice", "rows [", begin, ", ", end,
        ") out of range for ", *this);
  std::vector<std::int64_t> dims = shape_.dims();
  const std::int64_t row_elements = dims[0] == 0 ? 0 : numel() / dims[0];
  dims[0] = end - begin;
  Tensor view = *this;
  view.shape_ = Shape(dims);
  view.offset_bytes_ += static_cast<std::size_t>(begin * row_elements) * dtype_size(dtype_);
  return view;
}

Tensor Tensor::operator[](std::int64_t index) const {
  Tensor row = slice(index, index + 1);
  std::vector<std::int64_t> dims(shape_.dims().begin() + 1, shape_.dims().end());
  row.shape_ = Shape(dims);
  return row;
}

void check_shape(const Tensor& tensor, const Shape& expected, const std::string& where,
                 const std::string& what) {
  check(tensor.defined(), where, what, " is undefined");
  check(tensor.shape() == expected, where, "expected ", what, " of shape ", expected, ", got ",
        tensor.shape());
}

void check_dtype(const Tensor& tensor, DType expected, const std::string& where,
                 const std::string& what) {
  check(tensor.defined(), where, what, " is undefined");
  check(tensor.dtype() == expected, where, "expected ", what, " of dtype ", dtype_name(expected),
        ", got ", dtype_name(tensor.dtype()));
}

void check_same_device(const Tensor& a, const Tensor& b, const std::string& where) {
  check(a.device() == b.device(), where, "tensors on different devices: ", a, " and ", b,
        "; move one with .to(device)");
}

template Tensor Tensor::from_vector(const std::vector<float>&, const Shape&, Device);
template Tensor Tensor::from_vector(const std::vector<double>&, const Shape&, Device);
template Tensor Tensor::from_vector(const std::vector<std::int32_t>&, const Shape&, Device);
template float* Tensor::data() const;
template double* Tensor::data() const;
template std::int32_t* Tensor::data() const;
template std::vector<float> Tensor::to_vector() const;
template std::vector<double> Tensor::to_vector() const;
template std::vector<std::int32_t> Tensor::to_vector() const;

std::ostream& operator<<(std::ostream& out, const Tensor& tensor) { return out << tensor.str(); }

}  // namespace cuseq
