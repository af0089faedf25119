// CPU twin of swap_leading_axes: one contiguous inner block per loop index.
#include <cstring>

#include "kernels/backend.h"
#include "kernels/parallel_for_cpu.h"

namespace cuseq::detail {

template <>
void Kernels<Cpu>::swap_leading_axes(const Tensor& x, std::int64_t rows, std::int64_t columns,
                                     std::int64_t inner, Tensor& out) {
  const std::size_t element = dtype_size(x.dtype());
  const char* in = static_cast<const char*>(x.raw_data());
  char* result = static_cast<char*>(out.raw_data());
  const std::size_t block = static_cast<std::size_t>(inner) * element;
  for_each_index(Cpu{}, rows * columns, [&](std::int64_t i) {
    const std::int64_t r = i / columns, c = i % columns;
    std::memcpy(result + static_cast<std::size_t>(c * rows + r) * block,
                in + static_cast<std::size_t>(i) * block, block);
  });
}

}  // namespace cuseq::detail
