// cuDNN's LSTM and GRU (cudnnRNNForward, cudnnRNNBackwardData_v8,
// cudnnRNNBackwardWeights_v8) on Keras weights: the second reference for our
// recurrent kernels in GPU tests and the number to beat in benchmarks. Not a
// training path. float32 GPU tensors, unidirectional, no mask, no dropout,
// Keras' default activations; GRU is reset_after=True, which is cuDNN's GRU.
// CUDA builds only: elsewhere the constructor throws.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cuseq/export.h"
#include "cuseq/recurrent_ops.h"

namespace cuseq {

// Whether the cuDNN comparison backends (CudnnRnn, ops::conv1d_forward_cudnn)
// were built: CUDA builds with cuDNN, not CPU-only or emulated-GPU builds.
CUSEQ_API bool built_with_cudnn();

namespace ops {

class CUSEQ_API CudnnRnn {
 public:
  // Converts `weights` (Keras layout) into cuDNN's weight space once and sizes
  // the buffers for inputs [batch, steps, features].
  CudnnRnn(const RecurrentSpec& spec, const RecurrentWeights& weights, std::int64_t batch,
           std::int64_t steps);
  ~CudnnRnn();
  CudnnRnn(const CudnnRnn&) = delete;
  CudnnRnn& operator=(const CudnnRnn&) = delete;

  // As recurrent_forward: output ([batch, steps, units] with return_sequences,
  // else the final h), final_h and final_c (LSTM) of the returned tape are set.
  // The initial states may be undefined (zeros).
  RecurrentTape forward(const Tensor& x, const Tensor& initial_h = Tensor(),
                        const Tensor& initial_c = Tensor());
  // As recurrent_backward, for the last forward: returns dL/dx and dL/d(initial
  // states) and ADDS the weight gradients (Keras layout) into `weight_grads`.
  RecurrentInputGradients backward(const Tensor& d_output, const Tensor& d_final_h,
                                   const Tensor& d_final_c, RecurrentWeights& weight_grads);

  // The math cuDNN was asked for: "FMA" (plain FP32, like our GEMMs) or
  // "default" where this cuDNN refuses FMA for RNNs.
  const std::string& math() const;

 private:
  struct Plan;
  std::unique_ptr<Plan> plan_;
};

}  // namespace ops
}  // namespace cuseq
