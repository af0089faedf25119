// CPU twins of the loss kernels: loss.h's row bodies with one thread walking each row
// in order, ranges of rows shared out by cuseq's thread pool.
#include "kernels/loss.h"
#include "kernels/parallel_for_cpu.h"

namespace cuseq::detail {

// The row walk of loss.h's bodies for one thread: plain loops, column order.
struct SequentialRow {
  template <class F>
  auto sum(std::int64_t columns, const F& f) const {
    decltype(f(0)) total = 0;
    for (std::int64_t c = 0; c < columns; ++c) total += f(c);
    return total;
  }
  template <class F>
  auto max(std::int64_t columns, const F& f) const {
    auto largest = f(0);
    for (std::int64_t c = 1; c < columns; ++c) {
      const auto value = f(c);
      largest = value > largest ? value : largest;
    }
    return largest;
  }
  template <class F>
  void each(std::int64_t columns, const F& f) const {
    for (std::int64_t c = 0; c < columns; ++c) f(c);
  }
  template <class T>
  std::int64_t first_argmax(const T* x, std::int64_t columns) const {
    std::int64_t best = 0;
    for (std::int64_t c = 1; c < columns; ++c) best = x[c] > x[best] ? c : best;
    return best;
  }
  bool leads() const { return true; }
};

// Threads share out rows once there is enough work in all (a few wide rows,
// a language model's vocabulary, are worth splitting too).
template <class Body>
void for_each_row(Cpu, std::int64_t rows, std::int64_t columns, const Body& body) {
  for_each_range(rows, rows * columns >= kParallelThreshold,
                 [&](std::int64_t begin, std::int64_t end) {
                   run_vectorized([&] {
                     for (std::int64_t r = begin; r < end; ++r) body(r, SequentialRow{});
                   });
                 });
}

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
