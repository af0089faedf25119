// A tensor shape: a small list of non-negative extents.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <vector>

#include "cuseq/export.h"

namespace cuseq {

class CUSEQ_API Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<std::int64_t> dims);
  explicit Shape(std::vector<std::int64_t> dims);

  int rank() const { return static_cast<int>(dims_.size()); }
  // Negative indices count from the end, as in Python.
  std::int64_t operator[](int axis) const;
  std::int64_t numel() const;
  const std::vector<std::int64_t>& dims() const { return dims_; }
  std::string str() const;  // "[2, 3]"

  bool operator==(const Shape& other) const { return dims_ == other.dims_; }
  bool operator!=(const Shape& other) const { return dims_ != other.dims_; }

 private:
  std::vector<std::int64_t> dims_;
};

// Streams str(): error messages take the shape itself, and format it only on failure.
CUSEQ_API std::ostream& operator<<(std::ostream& out, const Shape& shape);

}  // namespace cuseq
