// The CPU has no persistent recurrent kernel: its time loop keeps the weights
// in cache anyway. ineligibility() says so, and recurrent_ops never calls the
// two walks below on the CPU (they exist for the one dispatch, backend.h).
#include "cuseq/error.h"
#include "kernels/recurrent_persistent_kernels.h"

namespace cuseq::detail {
namespace {

const char* const kNoCpuKernel = "the CPU backend has no persistent recurrent kernel";

}  // namespace

template <>
std::string RecurrentPersistentKernels<Cpu>::ineligibility(const PersistentProblem&) {
  return kNoCpuKernel;
}

template <>
template <class T>
void RecurrentPersistentKernels<Cpu>::forward(const StepForward<T>&, const ForwardBuffers<T>&,
                                              const T*) {
  fail("persistent recurrent forward", kNoCpuKernel);
}

template <>
template <class T>
void RecurrentPersistentKernels<Cpu>::backward(const StepBackward<T>&, const BackwardBuffers<T>&,
                                               const T*) {
  fail("persistent recurrent backward", kNoCpuKernel);
}

template void RecurrentPersistentKernels<Cpu>::forward<float>(const StepForward<float>&,
                                                              const ForwardBuffers<float>&,
                                                              const float*);
template void RecurrentPersistentKernels<Cpu>::forward<double>(const StepForward<double>&,
                                                               const ForwardBuffers<double>&,
                                                               const double*);
template void RecurrentPersistentKernels<Cpu>::backward<float>(const StepBackward<float>&,
                                                               const BackwardBuffers<float>&,
                                                               const float*);
template void RecurrentPersistentKernels<Cpu>::backward<double>(const StepBackward<double>&,
                                                                const BackwardBuffers<double>&,
                                                                const double*);

}  // namespace cuseq::detail
