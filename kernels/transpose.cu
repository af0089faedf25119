// CUDA swap_leading_axes. Launch shape: a grid-stride loop over output
// elements; consecutive threads write consecutive output elements (coalesced
// stores, strided loads). Works on raw 4- or 8-byte words, so any dtype fits.
#include <cstdint>

#include "kernels/backend.h"
#include "kernels/for_each_cuda.cuh"

namespace cuseq::detail {
namespace {

template <class Word>
struct SwapLeadingAxesBody {
  const Word* in;
  std::int64_t rows, columns, inner;
  Word* out;
  __device__ void operator()(std::int64_t o) const {
    const std::int64_t i = o % inner, rest = o / inner;
    const std::int64_t r = rest % rows, c = rest / rows;
    out[o] = in[(r * columns + c) * inner + i];
  }
};

template <class Word>
void swap_words(const Tensor& x, std::int64_t rows, std::int64_t columns, std::int64_t inner,
                Tensor& out) {
  for_each_index(Cuda{}, out.numel(),
                 SwapLeadingAxesBody<Word>{static_cast<const Word*>(x.raw_data()), rows, columns,
                                           inner, static_cast<Word*>(out.raw_data())});
}

}  // namespace

template <>
void Kernels<Cuda>::swap_leading_axes(const Tensor& x, std::int64_t rows, std::int64_t columns,
                                      std::int64_t inner, Tensor& out) {
  if (dtype_size(x.dtype()) == 8) {
    swap_words<std::uint64_t>(x, rows, columns, inner, out);
  } else if (dtype_size(x.dtype()) == 4) {
    swap_words<std::uint32_t>(x, rows, columns, inner, out);
  } else {
    swap_words<std::uint16_t>(x, rows, columns, inner, out);
  }
}

}  // namespace cuseq::detail
