// CPU twins of the reductions: one output element per loop index.
#include "kernels/backend.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/parallel_for_cpu.h"
#include "kernels/reduce_math.h"

namespace cuseq::detail {

template <>
void Kernels<Cpu>::reduce(Reduction reduction, const Tensor& x, std::int64_t outer,
                          std::int64_t extent, std::int64_t inner, Tensor& out) {
  dispatch_floating(x.dtype(), "reduce", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* in = x.data<T>();
    T* result = out.data<T>();
    for_each_index(Cpu{}, outer * inner, [&](std::int64_t o) {
      const std::int64_t row = o / inner, column = o % inner;
      T accumulated = reduction_identity<T>(reduction);
      for (std::int64_t e = 0; e < extent; ++e) {
        accumulated = reduction_combine(reduction, accumulated, in[(row * extent + e) * inner + column]);
      }
      result[o] = reduction_finish(reduction, accumulated, extent);
    });
  });
}

template <>
void Kernels<Cpu>::argmax(const Tensor& x, std::int64_t columns, Tensor& out) {
  dispatch_floating(x.dtype(), "argmax", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* in = x.data<T>();
    std::int32_t* result = out.data<std::int32_t>();
    for_each_index(Cpu{}, out.numel(), [&](std::int64_t row) {
      const T* values = in + row * columns;
      std::int64_t best = 0;
      for (std::int64_t c = 1; c < columns; ++c) {
        if (values[c] > values[best]) best = c;
      }
      result[row] = static_cast<std::int32_t>(best);
    });
  });
}

}  // namespace cuseq::detail
