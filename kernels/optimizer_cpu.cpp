// CPU twins of the optimizer kernels: optimizer.h's bodies walked by cuseq's thread pool, and
// a serial norm (a fixed order, accumulated in double).
#include "kernels/optimizer.h"
#include "kernels/parallel_for_cpu.h"

namespace cuseq::detail {

template <>
void OptimizerKernels<Cpu>::clipped_squared_norm(const Tensor& grad, double clipvalue,
                                                 Tensor& out) {
  dispatch_floating(grad.dtype(), "clipped_squared_norm", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const ClipRule<T> clip{T(clipvalue), T(0), nullptr};
    const T* g = grad.data<T>();
    double total = 0;
    for (std::int64_t i = 0; i < grad.numel(); ++i) {
      const double c = clip.clip_value(g[i]);
      total += c * c;
    }
    *out.data<T>() = T(total);
  });
}

template struct OptimizerKernels<Cpu>;

}  // namespace cuseq::detail
