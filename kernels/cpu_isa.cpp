// Which copy of the CPU kernels' inner loops runs here (kernels/cpu_isa.h).
#include "kernels/cpu_isa.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "cuseq/cpu_kernels.h"

namespace cuseq::detail {
namespace {

constexpr CpuLevel kLevels[] = {CpuLevel::baseline, CpuLevel::avx2, CpuLevel::avx512};

// libgcc's checks include the operating system's support (XCR0) for the
// AVX and AVX-512 registers, not only CPUID.
CpuLevel detected_level() {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v4")) return CpuLevel::avx512;
  if (__builtin_cpu_supports("x86-64-v3")) return CpuLevel::avx2;
#endif
  return CpuLevel::baseline;
}

CpuLevel chosen_level() {
  const CpuLevel best = detected_level();
  const char* cap = std::getenv("CUSEQ_CPU_LEVEL");
  if (cap == nullptr || *cap == '\0') return best;
  for (const CpuLevel level : kLevels) {
    if (std::strcmp(cap, cpu_level_name(level)) == 0) return std::min(level, best);
  }
  std::cerr << "cuseq: ignoring CUSEQ_CPU_LEVEL=\"" << cap
            << "\": expected baseline, avx2 or avx512\n";
  return best;
}

}  // namespace

const char* cpu_level_name(CpuLevel level) {
  switch (level) {
    case CpuLevel::avx512:
      return "avx512";
    case CpuLevel::avx2:
      return "avx2";
    case CpuLevel::baseline:
      break;
  }
  return "baseline";
}

CpuLevel cpu_level() {
  static const CpuLevel level = chosen_level();
  return level;
}

}  // namespace cuseq::detail

namespace cuseq {

const char* cpu_kernel_level() {
#if defined(CUSEQ_CPU_DISPATCH)
  return detail::cpu_level_name(detail::cpu_level());
#else
  return "single";
#endif
}

}  // namespace cuseq
