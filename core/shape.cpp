#include "cuseq/shape.h"

#include <ostream>
#include <sstream>

#include "cuseq/error.h"

namespace cuseq {

Shape::Shape(std::initializer_list<std::int64_t> dims) : Shape(std::vector<std::int64_t>(dims)) {}

Shape::Shape(std::vector<std::int64_t> dims) : dims_(std::move(dims)) {
  bool empty = false;
  for (const std::int64_t extent : dims_) {
    check(extent >= 0, "Shape", "extents must be non-negative, got ", *this);
    empty = empty || extent == 0;
  }
  // Every count is then an int64: numel() and byte counts need no checks of their own.
  std::int64_t count = 1;
  for (const std::int64_t extent : dims_) {
    check(empty || !__builtin_mul_overflow(count, extent, &count), "Shape", *this,
          " has more elements than an int64 can count (the product overflows)");
  }
}

std::int64_t Shape::operator[](int axis) const {
  const int resolved = axis < 0 ? axis + rank() : axis;
  check(resolved >= 0 && resolved < rank(), "Shape", "axis ", axis, " out of range for ", *this);
  return dims_[static_cast<std::size_t>(resolved)];
}

std::int64_t Shape::numel() const {
  std::int64_t count = 1;
  for (const std::int64_t extent : dims_) count *= extent;
  return count;
}

std::string Shape::str() const {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < dims_.size(); ++i) out << (i ? ", " : "") << dims_[i];
  out << ']';
  return out.str();
}

std::ostream& operator<<(std::ostream& out, const Shape& shape) { return out << shape.str(); }

}  // namespace cuseq
