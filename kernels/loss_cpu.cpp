// CPU twins of the loss kernels: loss_walk.h walked by OpenMP, one row per index.
#include "kernels/parallel_for_cpu.h"
#include "kernels/loss_walk.h"

namespace cuseq::detail {

template <>
std::int64_t LossKernels<Cpu>::first_invalid_label(const Tensor& labels, std::int64_t classes) {
  const std::int32_t* values = labels.data<std::int32_t>();
  for (std::int64_t i = 0; i < labels.numel(); ++i) {
    if (values[i] < 0 || values[i] >= classes) return i;
  }
  return -1;
}

template struct LossKernels<Cpu>;

}  // namespace cuseq::detail
