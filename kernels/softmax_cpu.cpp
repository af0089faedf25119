// CPU twin of softmax over the last axis: one row per loop index.
#include <algorithm>
#include <cmath>

#include "kernels/backend.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/fast_math.h"
#include "kernels/parallel_for_cpu.h"
#include "kernels/reduce_math.h"

namespace cuseq::detail {

template <>
void Kernels<Cpu>::softmax_forward(const Tensor& x, std::int64_t columns, Tensor& y) {
  dispatch_floating(x.dtype(), "softmax", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* in = x.data<T>();
    T* result = y.data<T>();
    for_each_index(Cpu{}, y.numel() / columns, [&](std::int64_t row) {
      const T* values = in + row * columns;
      T* probabilities = result + row * columns;
      T largest = reduction_identity<T>(Reduction::max);
      for (std::int64_t c = 0; c < columns; ++c) largest = std::max(largest, values[c]);
      T total = 0;
      for (std::int64_t c = 0; c < columns; ++c) {
        probabilities[c] = exp_of(values[c] - largest);
        total += probabilities[c];
      }
      for (std::int64_t c = 0; c < columns; ++c) probabilities[c] /= total;
    });
  });
}

template <>
void Kernels<Cpu>::softmax_backward(const Tensor& y, const Tensor& dy, std::int64_t columns,
                                    Tensor& dx) {
  dispatch_floating(y.dtype(), "softmax_backward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* probabilities = y.data<T>();
    const T* upstream = dy.data<T>();
    T* result = dx.data<T>();
    for_each_index(Cpu{}, y.numel() / columns, [&](std::int64_t row) {
      const std::int64_t base = row * columns;
      T dot = 0;
      for (std::int64_t c = 0; c < columns; ++c)
        dot += upstream[base + c] * probabilities[base + c];
      for (std::int64_t c = 0; c < columns; ++c) {
        result[base + c] = probabilities[base + c] * (upstream[base + c] - dot);
      }
    });
  });
}

}  // namespace cuseq::detail
