// The recurrent GEMM of the CPU persistent loop (recurrent_persistent_cpu.cpp):
// a thread packs its slice of recurrent_kernel once per sequence into panels
// of kPanelWidth columns that its register-blocked product streams at every
// step, where a BLAS call would pack the same weights again at every step.
//
// A panel holds `groups` column blocks of kPanelWidth side by side for each
// row k of the depth: panel[(k * groups + g) * kPanelWidth + w]. Forward, the
// groups are the G gates of one block of units (the columns g*units + unit of
// recurrent_kernel); backward, one group of the transposed weights (the
// columns of R^T are the rows of R).
//
// Each output element is one sum over k = 0, 1, .. depth-1 in that order,
// whatever the rows, panels or threads around it: results do not depend on
// the thread count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace cuseq::detail {

// A panel column block is 64 bytes: one zmm register with AVX-512, two ymm
// with AVX2, four xmm without. panel_product works in vectors of the copy of
// run_vectorized (cpu_isa.h) it runs in, kVectorBytes, as GCC's generic
// vectors (64-byte ones on AVX2 went through memory: 3-5x slower).
constexpr int kPanelBytes = 64;
template <class T>
constexpr int kPanelWidth = kPanelBytes / static_cast<int>(sizeof(T));

template <class T, int kVectorBytes>
struct PanelVector {
  typedef T type __attribute__((vector_size(kVectorBytes)));
};

// Packs the block of kPanelWidth units starting at `first_unit` (of `units`)
// of each of `groups` gate column ranges of a row-major matrix [depth, groups
// * units] into `panel`; columns past `units` are zeros.
template <class T>
void pack_gate_panel(const T* matrix, std::int64_t depth, std::int64_t units, int groups,
                     std::int64_t first_unit, T* panel) {
  constexpr int kWidth = kPanelWidth<T>;
  const std::int64_t valid = std::min<std::int64_t>(kWidth, units - first_unit);
  for (std::int64_t k = 0; k < depth; ++k) {
    for (int g = 0; g < groups; ++g) {
      const T* from = matrix + k * groups * units + g * units + first_unit;
      T* to = panel + (k * groups + g) * kWidth;
      for (std::int64_t w = 0; w < kWidth; ++w) to[w] = w < valid ? from[w] : T(0);
    }
  }
}

// Packs rows first_row .. first_row + kPanelWidth - 1 of a row-major matrix
// [rows, depth] as the columns of one panel of depth `depth` (its transpose);
// rows past `rows` are zeros.
template <class T>
void pack_transposed_panel(const T* matrix, std::int64_t rows, std::int64_t depth,
                           std::int64_t first_row, T* panel) {
  constexpr int kWidth = kPanelWidth<T>;
  const std::int64_t valid = std::min<std::int64_t>(kWidth, rows - first_row);
  for (std::int64_t k = 0; k < depth; ++k) {
    for (std::int64_t w = 0; w < kWidth; ++w) {
      panel[k * kWidth + w] = w < valid ? matrix[(first_row + w) * depth + k] : T(0);
    }
  }
}

// The rows k of a panel that one pass of panel_product reads: 16 KiB of it,
// which then stays in the L1 cache for the next rows of the left operand.
template <int kGroups>
constexpr std::int64_t kPanelDepthBlock = std::max(16, 16384 / (kGroups * kPanelBytes));

// sums[r][g * kPanelWidth + w] += a[r * lda + k] * panel column (g, w) for
// k = k_begin .. k_end - 1 in that order, for kRows rows of `a` (sums start
// from zero when `first`): kRows x kGroups column blocks of accumulators stay
// in registers (kVectorBytes each) while the panel's rows stream by once.
template <class T, int kGroups, int kRows, int kVectorBytes>
[[gnu::always_inline]] inline void panel_product(const T* a, std::int64_t lda, std::int64_t k_begin,
                                                 std::int64_t k_end, const T* panel, bool first,
                                                 T* sums) {
  using Vector = typename PanelVector<T, kVectorBytes>::type;
  constexpr int kLanes = kVectorBytes / static_cast<int>(sizeof(T));
  constexpr int kColumns = kGroups * (kPanelBytes / kVectorBytes);  // vectors per row
  constexpr int kRowValues = kColumns * kLanes;
  Vector sum[kRows][kColumns] = {};
  if (!first) {
    for (int r = 0; r < kRows; ++r) {
      for (int c = 0; c < kColumns; ++c)
        std::memcpy(&sum[r][c], sums + r * kRowValues + c * kLanes, kVectorBytes);
    }
  }
  for (std::int64_t k = k_begin; k < k_end; ++k) {
    Vector column[kColumns];
    for (int c = 0; c < kColumns; ++c)
      std::memcpy(&column[c], panel + k * kRowValues + c * kLanes, kVectorBytes);
    for (int r = 0; r < kRows; ++r) {
      const T x = a[r * lda + k];
      for (int c = 0; c < kColumns; ++c) sum[r][c] += x * column[c];
    }
  }
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < kColumns; ++c)
      std::memcpy(sums + r * kRowValues + c * kLanes, &sum[r][c], kVectorBytes);
  }
}

// panel_product for `rows` <= kRows rows: the instantiation of that many.
template <class T, int kGroups, int kRows, int kVectorBytes>
[[gnu::always_inline]] inline void panel_product_rows(std::int64_t rows, const T* a,
                                                      std::int64_t lda, std::int64_t k_begin,
                                                      std::int64_t k_end, const T* panel,
                                                      bool first, T* sums) {
  if constexpr (kRows > 1) {
    if (rows < kRows) {
      return panel_product_rows<T, kGroups, kRows - 1, kVectorBytes>(rows, a, lda, k_begin, k_end,
                                                                     panel, first, sums);
    }
  }
  panel_product<T, kGroups, kRows, kVectorBytes>(a, lda, k_begin, k_end, panel, first, sums);
}

}  // namespace cuseq::detail
