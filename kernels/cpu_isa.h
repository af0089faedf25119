// The CPU kernels' inner loops in the widest vectors the CPU has, from one
// portable library. A walker hands its loop over one range of indices to
// run_vectorized(loop), which runs it through one of three copies compiled
// for the library's baseline (CUSEQ_CPU_BASELINE, x86-64-v2 by default), for
// AVX2 + FMA (x86-64-v3) and for AVX-512 (x86-64-v4), chosen by the CPU it
// runs on (detected once). `flatten` inlines the whole loop body, math
// included, into each copy, so each is compiled for its instruction set as a
// whole; the copies are `static` templates, private to their file, so a copy
// compiled for AVX-512 can never stand in for the baseline one at link time
// (the danger of compiling whole files with -mavx512f). Where CMake does not
// define CUSEQ_CPU_DISPATCH (CUSEQ_NATIVE=ON, a compiler other than GCC, a
// CPU other than x86-64) the loop runs flattened, compiled as the library is.
// (GCC vectorizes the float exp/tanh/sigmoid loops of kernels/fast_math.h
// only with AVX-512's masks: with AVX2 or SSE it keeps a branch around
// arithmetic that might trap. -fno-trapping-math lifts that, but measured a
// net loss: it turned float max into integer cmov in the losses, 1.35x
// slower, and left the recurrent backward step unvectorized, 2x slower.)
#pragma once

namespace cuseq::detail {

// What the copies need beyond the baseline: AVX2 + FMA + BMI2 + F16C
// (x86-64-v3); AVX-512 F/BW/CD/DQ/VL (x86-64-v4).
enum class CpuLevel { baseline, avx2, avx512 };

// The best level this CPU (and its operating system) supports, capped by the
// environment's CUSEQ_CPU_LEVEL (baseline, avx2 or avx512) where set: for
// tests and to compare the copies.
CpuLevel cpu_level();
const char* cpu_level_name(CpuLevel level);

#if defined(CUSEQ_CPU_DISPATCH)

template <class Loop>
[[gnu::flatten]] static void run_baseline(const Loop& loop) {
  loop();
}
template <class Loop>
[[gnu::flatten, gnu::target("arch=x86-64-v3")]] static void run_avx2(const Loop& loop) {
  loop();
}
template <class Loop>
[[gnu::flatten, gnu::target("arch=x86-64-v4")]] static void run_avx512(const Loop& loop) {
  loop();
}

template <class Loop>
void run_vectorized(const Loop& loop) {
  switch (cpu_level()) {
    case CpuLevel::avx512:
      return run_avx512(loop);
    case CpuLevel::avx2:
      return run_avx2(loop);
    case CpuLevel::baseline:
      return run_baseline(loop);
  }
}

#else

template <class Loop>
[[gnu::flatten]] void run_vectorized(const Loop& loop) {
  loop();
}

#endif

}  // namespace cuseq::detail
