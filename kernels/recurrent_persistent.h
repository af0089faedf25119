// The persistent recurrent loops (Diamos et al. 2016): every step of a
// recurrent_forward (or backward) in one run, each worker keeping its slice of
// recurrent_kernel close across steps and the workers meeting at one barrier
// per step. RecurrentPersistentKernels<Cuda> (recurrent_persistent.cu) is one
// cooperative launch, a block per SM, its slice in shared memory;
// RecurrentPersistentKernels<Cpu> (recurrent_persistent_cpu.cpp) one thread
// team, its slice packed in panels; recurrent_persistent_ops.cpp chooses
// between them and the standard loop. The per-step pointers come from
// set_forward_step/set_backward_step, which the standard time loop (recurrent_ops.cpp) uses too, so
// both paths feed the same cell math (recurrent.h) the same StepForward.
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/device.h"
#include "cuseq/dtype.h"
#include "cuseq/host_device.h"
#include "cuseq/recurrent_kinds.h"
#include "kernels/backend.h"
#include "kernels/recurrent.h"

namespace cuseq::detail {

// The batch the persistent kernels accept at most: each thread keeps one
// partial sum per sample in registers.
constexpr std::int64_t kPersistentMaxBatch = 16;

// The tape's buffers of a whole forward pass, from which every step's
// StepForward pointers follow.
template <class T>
struct ForwardBuffers {
  T* states;                // [steps + 1, batch, units]
  T* cells;                 // likewise, LSTM only (else null)
  T* recurrent_inputs;      // [steps + 1, batch, units]: what each step's recurrent GEMM reads
  T* activations;           // [steps, batch, S * units]
  T* recurrent_projection;  // [batch, G * units]: the step's (h * recurrent_mask) R
  bool go_backwards;
};

// Points `s` (its step-independent fields already filled) at step `step`.
template <class T>
CUSEQ_HOST_DEVICE void set_forward_step(StepForward<T>& s, const ForwardBuffers<T>& b,
                                        std::int64_t step) {
  const std::int64_t plane = s.batch * s.units;
  s.step = step;
  s.time = b.go_backwards ? s.steps - 1 - step : step;
  s.h_prev = b.states + step * plane;
  s.h = b.states + (step + 1) * plane;
  if (b.cells != nullptr) {
    s.c_prev = b.cells + step * plane;
    s.c = b.cells + (step + 1) * plane;
  }
  s.h_masked = b.recurrent_inputs + (step + 1) * plane;
  s.saved = b.activations + step * saved_count(s.cell) * plane;
}

// The buffers of a whole backward pass.
template <class T>
struct BackwardBuffers {
  const T* states;       // the tape's
  const T* cells;        // the tape's, LSTM only
  const T* activations;  // the tape's
  T* d_recurrent;        // [batch, units]: d(the next step's recurrent GEMM input)
  T* d_gates_recurrent;  // [steps, batch, G * units]
  bool go_backwards;
};

template <class T>
CUSEQ_HOST_DEVICE void set_backward_step(StepBackward<T>& s, const BackwardBuffers<T>& b,
                                         std::int64_t step) {
  const std::int64_t plane = s.batch * s.units;
  s.step = step;
  s.time = b.go_backwards ? s.steps - 1 - step : step;
  s.saved = b.activations + step * saved_count(s.cell) * plane;
  s.h_prev = b.states + step * plane;
  if (b.cells != nullptr) {
    s.c_prev = b.cells + step * plane;
    s.c = b.cells + (step + 1) * plane;
  }
  // The last step has no later step whose recurrent GEMM read its h.
  s.d_recurrent = step == s.steps - 1 ? nullptr : b.d_recurrent;
  s.d_gates_recurrent = b.d_gates_recurrent + step * s.batch * gate_count(s.cell) * s.units;
}

// What decides whether the persistent kernels can run a problem.
struct PersistentProblem {
  RecurrentCell cell;
  Activation activation, recurrent_activation;
  DType dtype;
  std::int64_t batch, units;
};

template <class Where>
struct RecurrentPersistentKernels {
  // Why the persistent forward and backward kernels cannot run `problem` on
  // the current device, or "" when both can.
  static std::string ineligibility(const PersistentProblem& problem);
  // Every step of a forward pass: `first` filled as for the standard loop
  // (step-independent fields), recurrent_kernel [units, G*units].
  template <class T>
  static void forward(const StepForward<T>& first, const ForwardBuffers<T>& buffers,
                      const T* recurrent_kernel);
  // Every step of a backward pass, last to first; leaves in buffers.d_recurrent
  // d(the first step's recurrent GEMM input), as the standard loop does.
  template <class T>
  static void backward(const StepBackward<T>& first, const BackwardBuffers<T>& buffers,
                       const T* recurrent_kernel);
};

// Whether recurrent_forward/backward of `op` take the persistent path: spec's
// algorithm, with `persistent` checked against ineligibility() on `device`
// (a cuseq::Error naming `op` and the reason when it cannot run).
bool use_persistent_algorithm(RecurrentAlgorithm algorithm, const PersistentProblem& problem,
                              Device device, const std::string& op);

}  // namespace cuseq::detail
