// CPU twins of the regularization kernels. The penalty sums fixed-size chunks
// in parallel, then the chunk sums in order: the same result for any thread count.
#include <algorithm>
#include <vector>

#include "kernels/dtype_dispatch.h"
#include "kernels/parallel_for_cpu.h"
#include "kernels/regularization.h"

namespace cuseq::detail {

template <>
void RegularizationKernels<Cpu>::penalty(const Tensor& w, double l1, double l2, Tensor& out) {
  constexpr std::int64_t kChunk = 4096;
  const std::int64_t count = w.numel();
  const std::int64_t chunks = (count + kChunk - 1) / kChunk;
  std::vector<double> partial(static_cast<std::size_t>(chunks), 0.0);
  dispatch_floating(w.dtype(), "regularization_penalty", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* values = w.data<T>();
    for_each_range(chunks, count >= kParallelThreshold, [&](std::int64_t first, std::int64_t last) {
      run_vectorized([&] {
        for (std::int64_t c = first; c < last; ++c) {
          double sum = 0.0;
          const std::int64_t end = std::min(count, (c + 1) * kChunk);
          for (std::int64_t i = c * kChunk; i < end; ++i) {
            sum += regularization_term(values[i], l1, l2);
          }
          partial[static_cast<std::size_t>(c)] = sum;
        }
      });
    });
    double total = 0.0;
    for (const double sum : partial) total += sum;
    out.data<T>()[0] = static_cast<T>(total);
  });
}

template <>
void RegularizationKernels<Cpu>::add_grad(const Tensor& w, double l1, double l2, Tensor& grad) {
  dispatch_floating(w.dtype(), "add_regularization_grad", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for_each_index(Cpu{}, w.numel(),
                   AddRegularizationGradBody<T>{w.data<T>(), T(l1), T(l2), grad.data<T>()});
  });
}

}  // namespace cuseq::detail
