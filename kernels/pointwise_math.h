// The math of cuseq's pointwise ops, written once: the CUDA kernels and their
// CPU twins call these same inline functions and differ only in how they walk
// the data.
#pragma once

#include <cmath>
#include <cstdint>

#include "cuseq/host_device.h"
#include "cuseq/ops.h"
#include "cuseq/philox.h"

namespace cuseq::detail {

// std:: overloads on the host keep float math in float; device code uses
// CUDA's overloads of the same names.
#if !defined(__CUDA_ARCH__)
using std::cos;
using std::exp;
using std::log;
using std::sqrt;
using std::tanh;
#endif

template <class T>
CUSEQ_HOST_DEVICE T sigmoid(T x) {
  // Two branches keep exp() from overflowing for large |x|.
  if (x >= T(0)) return T(1) / (T(1) + exp(-x));
  const T e = exp(x);
  return e / (T(1) + e);
}

template <class T>
CUSEQ_HOST_DEVICE T activate(Activation activation, T x) {
  switch (activation) {
    case Activation::relu: return x > T(0) ? x : T(0);
    case Activation::sigmoid: return sigmoid(x);
    case Activation::tanh: return tanh(x);
    default: return x;
  }
}

// f'(x) expressed through y = f(x).
template <class T>
CUSEQ_HOST_DEVICE T activation_derivative_from_output(Activation activation, T y) {
  switch (activation) {
    case Activation::relu: return y > T(0) ? T(1) : T(0);
    case Activation::sigmoid: return y * (T(1) - y);
    case Activation::tanh: return T(1) - y * y;
    default: return T(1);
  }
}

template <class T>
CUSEQ_HOST_DEVICE T apply_binary(int op, T a, T b) {
  // op follows BinaryOp's order: add, subtract, multiply.
  return op == 0 ? a + b : (op == 1 ? a - b : a * b);
}

template <class T>
CUSEQ_HOST_DEVICE T uniform_sample(std::uint64_t seed, std::uint64_t stream, std::uint64_t index,
                                   double low, double high) {
  const float unit = uniform_from_bits(philox_bits(seed, stream, index));
  return static_cast<T>(low + (high - low) * static_cast<double>(unit));
}

// Box-Muller on the bit pair (2i, 2i+1): u1 in (0, 1] keeps log() finite.
template <class T>
CUSEQ_HOST_DEVICE T normal_sample(std::uint64_t seed, std::uint64_t stream, std::uint64_t index,
                                  double mean, double stddev) {
  const double u1 = (static_cast<double>(philox_bits(seed, stream, 2 * index)) + 1.0) / 4294967296.0;
  const double u2 = static_cast<double>(philox_bits(seed, stream, 2 * index + 1)) / 4294967296.0;
  const double radius = sqrt(-2.0 * log(u1));
  return static_cast<T>(mean + stddev * radius * cos(6.283185307179586 * u2));
}

}  // namespace cuseq::detail
