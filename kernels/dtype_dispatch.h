// Runs a generic lambda with the C++ element type of a floating-point dtype.
#pragma once

#include <string>
#include <type_traits>

#include "cuseq/dtype.h"
#include "cuseq/error.h"

namespace cuseq::detail {

template <class T>
struct TypeTag {
  using type = T;
};

// body(TypeTag<float>{}) or body(TypeTag<double>{}); other dtypes are an error.
template <class Body>
decltype(auto) dispatch_floating(DType dtype, const std::string& where, Body&& body) {
  switch (dtype) {
    case DType::float32:
      return body(TypeTag<float>{});
    case DType::float64:
      return body(TypeTag<double>{});
    default:
      fail(where, "expected a float32 or float64 tensor, got ", dtype_name(dtype));
  }
}

}  // namespace cuseq::detail
