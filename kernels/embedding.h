// The embedding kernel family, declared once for both backends:
// EmbeddingKernels<Cpu> (embedding_cpu.cpp) and EmbeddingKernels<Cuda>
// (embedding.cu), with the mask_zero body they share. Arguments arrive
// validated by embedding_ops.cpp.
#pragma once

#include <cstdint>

#include "cuseq/host_device.h"
#include "kernels/backend.h"

namespace cuseq::detail {

template <class Where>
struct EmbeddingKernels {
  // The flat position of the first id outside [0, input_dim), or -1 when all are valid.
  static std::int64_t first_invalid_id(const Tensor& ids, std::int64_t input_dim);
  // out[n, :] = table[ids[n], :] for ids viewed flat.
  static void lookup(const Tensor& ids, const Tensor& table, Tensor& out);
  // grad_table[v, :] += sum of grad_out[n, :] over the n with ids[n] == v, summed
  // in increasing n: the same bits every run (no atomics).
  static void accumulate_grad(const Tensor& ids, const Tensor& grad_out, Tensor& grad_table);
  // mask[n] = 1 where ids[n] != 0, else 0 (Keras' mask_zero).
  static void nonzero_mask(const Tensor& ids, Tensor& mask);
};

template <class T>
struct NonzeroMaskBody {
  const std::int32_t* ids;
  T* mask;
  CUSEQ_HOST_DEVICE void operator()(std::int64_t i) const { mask[i] = ids[i] != 0 ? T(1) : T(0); }
};

}  // namespace cuseq::detail
