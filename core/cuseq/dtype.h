// Element types a Tensor can hold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace cuseq {

// float32 for values, int32 for token ids, float64 for CPU gradient checks;
// float16/bfloat16 are reserved for mixed-precision storage.
enum class DType { float32, float64, int32, float16, bfloat16 };

inline std::size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::float32:
      return 4;
    case DType::float64:
      return 8;
    case DType::int32:
      return 4;
    case DType::float16:
      return 2;
    case DType::bfloat16:
      return 2;
  }
  return 0;
}

inline std::string dtype_name(DType dtype) {
  switch (dtype) {
    case DType::float32:
      return "float32";
    case DType::float64:
      return "float64";
    case DType::int32:
      return "int32";
    case DType::float16:
      return "float16";
    case DType::bfloat16:
      return "bfloat16";
  }
  return "unknown";
}

// The DType of a C++ element type, for typed access: dtype_of<float>() == DType::float32.
template <class T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() {
  return DType::float32;
}
template <>
constexpr DType dtype_of<double>() {
  return DType::float64;
}
template <>
constexpr DType dtype_of<std::int32_t>() {
  return DType::int32;
}

}  // namespace cuseq
