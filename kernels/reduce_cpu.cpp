// CPU twins of the reductions: rows accumulated into the output row when the
// reduced axis has inner > 1 (column sums), one output per index otherwise.
#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "kernels/backend.h"
#include "kernels/dtype_dispatch.h"
#include "kernels/parallel_for_cpu.h"
#include "kernels/reduce_math.h"

namespace cuseq::detail {

namespace {

// Columns per task of a column reduction: an accumulator block of 1 KiB
// (float) that stays in L1 while the rows stream past it.
constexpr std::int64_t kColumnBlock = 256;

// Reduces over a middle axis with inner > 1 (e.g. a bias gradient, [N, C] over
// N) by accumulating whole rows into the output row: a row-major walk that
// vectorizes along columns, where one output per index would stride through
// memory. Threads split (outer row, column block) tasks; every output still
// combines its values in order e = 0..extent-1, so results do not depend on
// the thread count. `reduction` is a Reduction or a constant of one.
template <class T, class R>
void reduce_column_blocks(R reduction, const T* in, std::int64_t extent, std::int64_t inner,
                          T* result, std::int64_t first, std::int64_t last) {
  const std::int64_t blocks = (inner + kColumnBlock - 1) / kColumnBlock;
  for (std::int64_t task = first; task < last; ++task) {
    const std::int64_t row = task / blocks, begin = (task % blocks) * kColumnBlock;
    const std::int64_t width = std::min(kColumnBlock, inner - begin);
    T* accumulated = result + row * inner + begin;
    for (std::int64_t c = 0; c < width; ++c) accumulated[c] = reduction_identity<T>(reduction);
    for (std::int64_t e = 0; e < extent; ++e) {
      const T* values = in + (row * extent + e) * inner + begin;
#pragma omp simd
      for (std::int64_t c = 0; c < width; ++c) {
        accumulated[c] = reduction_combine(reduction, accumulated[c], values[c]);
      }
    }
    for (std::int64_t c = 0; c < width; ++c) {
      accumulated[c] = reduction_finish(reduction, accumulated[c], extent);
    }
  }
}

template <class T, class R>
void reduce_columns(R reduction, const T* in, std::int64_t outer, std::int64_t extent,
                    std::int64_t inner, T* result) {
  const std::int64_t blocks = (inner + kColumnBlock - 1) / kColumnBlock;
  for_each_range(outer * blocks, outer * extent * inner >= kParallelThreshold,
                 [&](std::int64_t first, std::int64_t last) {
                   run_vectorized([&] {
                     reduce_column_blocks(reduction, in, extent, inner, result, first, last);
                   });
                 });
}

// One output per index: contiguous values when inner == 1.
template <class T>
void reduce_each_output(Reduction reduction, const T* in, std::int64_t outer, std::int64_t extent,
                        std::int64_t inner, T* result) {
  for_each_index(Cpu{}, outer * inner, [&](std::int64_t o) {
    const std::int64_t row = o / inner, column = o % inner;
    T accumulated = reduction_identity<T>(reduction);
    for (std::int64_t e = 0; e < extent; ++e) {
      accumulated =
          reduction_combine(reduction, accumulated, in[(row * extent + e) * inner + column]);
    }
    result[o] = reduction_finish(reduction, accumulated, extent);
  });
}

template <Reduction kReduction>
using ReductionConstant = std::integral_constant<Reduction, kReduction>;

}  // namespace

template <>
void Kernels<Cpu>::reduce(Reduction reduction, const Tensor& x, std::int64_t outer,
                          std::int64_t extent, std::int64_t inner, Tensor& out) {
  dispatch_floating(x.dtype(), "reduce", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* in = x.data<T>();
    T* result = out.data<T>();
    if (inner == 1) return reduce_each_output(reduction, in, outer, extent, inner, result);
    switch (reduction) {
      case Reduction::sum:
        return reduce_columns(ReductionConstant<Reduction::sum>{}, in, outer, extent, inner,
                              result);
      case Reduction::mean:
        return reduce_columns(ReductionConstant<Reduction::mean>{}, in, outer, extent, inner,
                              result);
      case Reduction::max:
        return reduce_columns(ReductionConstant<Reduction::max>{}, in, outer, extent, inner,
                              result);
    }
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
