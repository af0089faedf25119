// One source for the pointwise kernels of both backends: each op builds a
// small body functor (math from pointwise_math.h) and hands it to
// for_each_index(Where{}, ...), which a loop on the thread pool (parallel_for_cpu.h) or a
// grid-stride CUDA kernel (for_each_cuda.cuh) walks. pointwise_cpu.cpp and
// pointwise.cu include this file after their walker and instantiate it.
#pragma once

#include <cstdint>

#include "kernels/backend.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/pointwise_math.h"

namespace cuseq::detail {

template <class T>
struct BinaryBody {
  int op;
  const T* a;
  const T* b;
  T* out;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const { out[i] = apply_binary(op, a[i], b[i]); }
};

template <class T>
struct AxpbyBody {
  T alpha;
  const T* x;
  T beta;
  const T* y;
  T* out;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const { out[i] = alpha * x[i] + beta * y[i]; }
};

template <class T>
struct BiasAddBody {
  const T* x;
  const T* bias;
  std::int64_t columns;
  T* out;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const { out[i] = x[i] + bias[i % columns]; }
};

template <class T>
struct FillBody {
  T value;
  T* out;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const { out[i] = value; }
};

template <class T>
struct UniformBody {
  Generator::Stream stream;
  double low, high;
  T* out;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    out[i] =
        uniform_sample<T>(stream.seed, stream.stream, static_cast<std::uint64_t>(i), low, high);
  }
};

template <class T>
struct NormalBody {
  Generator::Stream stream;
  double mean, stddev;
  T* out;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    out[i] =
        normal_sample<T>(stream.seed, stream.stream, static_cast<std::uint64_t>(i), mean, stddev);
  }
};

template <class T, Activation kActivation>
struct ActivationBody {
  const T* x;
  T* y;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const { y[i] = activate<kActivation>(x[i]); }
};

template <class T, Activation kActivation>
struct ActivationGradBody {
  const T* y;
  const T* dy;
  T* dx;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const {
    dx[i] = dy[i] * activation_derivative_from_output<kActivation>(y[i]);
  }
};

template <class Where>
void Kernels<Where>::binary(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  dispatch_floating(out.dtype(), "binary", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Where{}, out.numel(),
                   BinaryBody<T>{static_cast<int>(op), a.data<T>(), b.data<T>(), out.data<T>()});
  });
}

template <class Where>
void Kernels<Where>::axpby(double alpha, const Tensor& x, double beta, const Tensor& y,
                           Tensor& out) {
  dispatch_floating(out.dtype(), "axpby", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Where{}, out.numel(),
                   AxpbyBody<T>{T(alpha), x.data<T>(), T(beta), y.data<T>(), out.data<T>()});
  });
}

template <class Where>
void Kernels<Where>::bias_add(const Tensor& x, const Tensor& bias, Tensor& out) {
  dispatch_floating(out.dtype(), "bias_add", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Where{}, out.numel(),
                   BiasAddBody<T>{x.data<T>(), bias.data<T>(), bias.numel(), out.data<T>()});
  });
}

template <class Where>
void Kernels<Where>::fill(Tensor& out, double value) {
  if (out.dtype() == DType::int32) {
    for_each_index(
        Where{}, out.numel(),
        FillBody<std::int32_t>{static_cast<std::int32_t>(value), out.data<std::int32_t>()});
    return;
  }
  dispatch_floating(out.dtype(), "fill", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Where{}, out.numel(), FillBody<T>{T(value), out.data<T>()});
  });
}

template <class Where>
void Kernels<Where>::random_uniform(Tensor& out, double low, double high,
                                    Generator::Stream stream) {
  dispatch_floating(out.dtype(), "random_uniform", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Where{}, out.numel(), UniformBody<T>{stream, low, high, out.data<T>()});
  });
}

template <class Where>
void Kernels<Where>::random_normal(Tensor& out, double mean, double stddev,
                                   Generator::Stream stream) {
  dispatch_floating(out.dtype(), "random_normal", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Where{}, out.numel(), NormalBody<T>{stream, mean, stddev, out.data<T>()});
  });
}

template <class Where>
void Kernels<Where>::activation_forward(Activation activation, const Tensor& x, Tensor& y) {
  dispatch_floating(y.dtype(), "activation_forward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    with_activation(activation, [&](auto constant) {
      for_each_index(Where{}, y.numel(),
                     ActivationBody<T, decltype(constant)::value>{x.data<T>(), y.data<T>()});
    });
  });
}

template <class Where>
void Kernels<Where>::activation_backward(Activation activation, const Tensor& y, const Tensor& dy,
                                         Tensor& dx) {
  dispatch_floating(dx.dtype(), "activation_backward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    with_activation(activation, [&](auto constant) {
      for_each_index(Where{}, dx.numel(),
                     ActivationGradBody<T, decltype(constant)::value>{y.data<T>(), dy.data<T>(),
                                                                      dx.data<T>()});
    });
  });
}

}  // namespace cuseq::detail
