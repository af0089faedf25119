// The per-thread GEMM precision (cuseq/precision.h), read by the CUDA GEMM.
#include "cuseq/precision.h"

#include "cuseq/error.h"

namespace cuseq {
namespace {

// Thread-local, like a CUDA stream: one thread's mixed-precision region does
// not change the GEMMs of another.
thread_local GemmPrecision current_gemm_precision = GemmPrecision::float32;

}  // namespace

GemmPrecision gemm_precision() { return current_gemm_precision; }

void set_gemm_precision(GemmPrecision precision) { current_gemm_precision = precision; }

GemmPrecisionGuard::GemmPrecisionGuard(GemmPrecision precision)
    : previous_(current_gemm_precision) {
  current_gemm_precision = precision;
}

GemmPrecisionGuard::~GemmPrecisionGuard() { current_gemm_precision = previous_; }

GemmPrecision gemm_precision_from_name(const std::string& name) {
  if (name == "fp32" || name == "float32") return GemmPrecision::float32;
  if (name == "bf16" || name == "bfloat16") return GemmPrecision::bfloat16;
  if (name == "fp16" || name == "float16") return GemmPrecision::float16;
  fail("gemm precision", "unknown precision \"", name,
       "\"; expected fp32, bf16 or fp16 (or float32, bfloat16, float16)");
}

std::string gemm_precision_name(GemmPrecision precision) {
  switch (precision) {
    case GemmPrecision::float32:
      return "float32";
    case GemmPrecision::bfloat16:
      return "bfloat16";
    case GemmPrecision::float16:
      return "float16";
  }
  return "unknown";
}

}  // namespace cuseq
