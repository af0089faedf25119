// CPU twins of the recurrent pointwise kernels: recurrent.h walked by
// cuseq's thread pool (parallel_for_cpu.h).
#include "kernels/parallel_for_cpu.h"
#include "kernels/recurrent.h"

namespace cuseq::detail {

// A step walks samples (threads take ranges of them) and, inside one sample,
// units with a unit-contiguous SIMD loop: no division to find (sample, unit),
// and the cell and whether the sample's step is real are constants inside the
// loop, so it has no branches and the float cell math (fast_math.h)
// vectorizes. The units of a step are independent, hence `omp simd`.
// `flatten` inlines the whole cell math (exp, tanh) into the loop: with 96
// float instantiations in this file GCC's inlining budget otherwise leaves
// expm1_fast an out-of-line call, which keeps the loop scalar. The samples of
// a thread's range run in one copy of run_vectorized (cpu_isa.h).
template <class Cell, bool kReal, class Body>
[[gnu::flatten]] void for_each_unit(Cell cell, std::int64_t sample, std::int64_t units,
                                    const Body& body) {
#pragma omp simd
  for (std::int64_t unit = 0; unit < units; ++unit) body(cell, sample, unit, kReal);
}

template <class Cell, class Body>
void for_each_unit_of_each_sample(std::int64_t batch, std::int64_t units, const Body& body) {
  for_each_range(batch, batch * units >= kCellParallelThreshold,
                 [&](std::int64_t begin, std::int64_t end) {
                   run_vectorized([&] {
                     // A private copy: the compiler then knows the stores do not move its pointers.
                     const Body local = body;
                     for (std::int64_t sample = begin; sample < end; ++sample) {
                       if (local.is_real(sample)) {
                         for_each_unit<Cell, true>({}, sample, units, local);
                       } else {
                         for_each_unit<Cell, false>({}, sample, units, local);
                       }
                     }
                   });
                 });
}

template <class Body>
void for_each_sample_unit(Cpu, RecurrentCell cell, std::int64_t batch, std::int64_t units,
                          const Body& body) {
  visit_cell(cell, [&](auto c) { for_each_unit_of_each_sample<decltype(c)>(batch, units, body); });
}

template struct RecurrentKernels<Cpu>;
template void RecurrentKernels<Cpu>::forward_step<float>(const StepForward<float>&);
template void RecurrentKernels<Cpu>::forward_step<double>(const StepForward<double>&);
template void RecurrentKernels<Cpu>::backward_step<float>(const StepBackward<float>&);
template void RecurrentKernels<Cpu>::backward_step<double>(const StepBackward<double>&);

}  // namespace cuseq::detail
