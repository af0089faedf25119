// Which recurrent cell runs and how its time loop runs (cuseq/recurrent_ops.h).
// A header of its own so that the recurrent kernels (kernels/recurrent_step.h,
// kernels/recurrent_persistent.h) need the enums and not the ops' API.
#pragma once

namespace cuseq {

enum class RecurrentCell { simple_rnn, lstm, gru };

// How the time loop runs (an execution choice, not a model property):
// standard: per step one recurrent GEMM and one fused pointwise kernel.
// persistent (GPU, batch <= 16): one cooperative kernel for all steps that
//   keeps recurrent_kernel in shared memory; an Error naming the reason where
//   it cannot run (the CPU, a larger batch, a recurrent_kernel too large).
// automatic: persistent where it runs and an H200 measured it faster (batch
//   <= 8, units <= 512), else standard (README, "Recurrent algorithms").
enum class RecurrentAlgorithm { automatic, standard, persistent };

}  // namespace cuseq
