// The math of cuseq's pointwise ops, written once: the CUDA kernels and their
// CPU twins call these same inline functions and differ only in how they walk
// the data.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "cuseq/activation.h"
#include "cuseq/host_device.h"
#include "cuseq/philox.h"
#include "kernels/fast_math.h"

namespace cuseq::detail {

// The activation is a template argument so that loops over elements have no
// branch on it and vectorize; with_activation() turns a runtime value into one.
template <Activation kActivation, class T>
CUSEQ_HOST_DEVICE T activate(T x) {
  if constexpr (kActivation == Activation::relu) return x > T(0) ? x : T(0);
  if constexpr (kActivation == Activation::sigmoid) return sigmoid_of(x);
  if constexpr (kActivation == Activation::tanh) return tanh_of(x);
  return x;
}

// f'(x) expressed through y = f(x).
template <Activation kActivation, class T>
CUSEQ_HOST_DEVICE T activation_derivative_from_output(T y) {
  if constexpr (kActivation == Activation::relu) return y > T(0) ? T(1) : T(0);
  if constexpr (kActivation == Activation::sigmoid) return y * (T(1) - y);
  if constexpr (kActivation == Activation::tanh) return T(1) - y * y;
  return T(1);
}

template <Activation kActivation>
using ActivationConstant = std::integral_constant<Activation, kActivation>;

// Calls body(ActivationConstant<a>{}) for the pointwise activation a (softmax
// is not pointwise and is handled by its own kernels).
template <class Body>
decltype(auto) with_activation(Activation activation, Body&& body) {
  switch (activation) {
    case Activation::relu:
      return body(ActivationConstant<Activation::relu>{});
    case Activation::sigmoid:
      return body(ActivationConstant<Activation::sigmoid>{});
    case Activation::tanh:
      return body(ActivationConstant<Activation::tanh>{});
    default:
      return body(ActivationConstant<Activation::linear>{});
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
  const double u1 =
      (static_cast<double>(philox_bits(seed, stream, 2 * index)) + 1.0) / 4294967296.0;
  const double u2 = static_cast<double>(philox_bits(seed, stream, 2 * index + 1)) / 4294967296.0;
  const double radius = sqrt(-2.0 * log(u1));
  return static_cast<T>(mean + stddev * radius * cos(6.283185307179586 * u2));
}

}  // namespace cuseq::detail
