// The precision of the GEMMs, chosen per thread like PyTorch's autocast:
// float32 (the default), or bfloat16 / float16 operands with float32
// accumulation and float32 output (mixed precision). Only the GEMM operands
// are rounded, on their way into the GEMM; tensors, weights (the float32
// master copy), optimizer state and every other op stay float32.
//
// Honoured by the CUDA GEMM for float32 tensors (tensor cores through
// cublasGemmEx). The CPU GEMM is always float32 and ignores the setting, as do
// float64 GEMMs, so CPU results do not change under a guard.
#pragma once

#include <string>

#include "cuseq/export.h"

namespace cuseq {

enum class GemmPrecision { float32, bfloat16, float16 };

// This thread's setting (float32 until changed).
CUSEQ_API GemmPrecision gemm_precision();
CUSEQ_API void set_gemm_precision(GemmPrecision precision);

// Sets this thread's GEMM precision until the guard is destroyed, then
// restores the previous one (guards nest).
class CUSEQ_API GemmPrecisionGuard {
 public:
  explicit GemmPrecisionGuard(GemmPrecision precision);
  ~GemmPrecisionGuard();
  GemmPrecisionGuard(const GemmPrecisionGuard&) = delete;
  GemmPrecisionGuard& operator=(const GemmPrecisionGuard&) = delete;

 private:
  GemmPrecision previous_;
};

// "fp32"/"float32", "bf16"/"bfloat16", "fp16"/"float16" (as in --mixed-precision).
CUSEQ_API GemmPrecision gemm_precision_from_name(const std::string& name);
// "float32", "bfloat16" or "float16".
CUSEQ_API std::string gemm_precision_name(GemmPrecision precision);

}  // namespace cuseq
