// cub::DeviceRadixSort::SortPairs on the emulated GPU: the same stable order
// of the same key bits, sorted on the host. The temporary storage is asked
// for and must be given as with cub, and is written over, so a short buffer
// is an overrun; the device ranges are checked as the copies check them.
#pragma once

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <string>
#include <type_traits>
#include <vector>

#include "cuseq_emulator/device_memory.h"

namespace cub {

struct DeviceRadixSort {
  template <class Key, class Value, class Count>
  static cudaError_t SortPairs(void* temp_storage, std::size_t& temp_storage_bytes,
                               const Key* keys_in, Key* keys_out, const Value* values_in,
                               Value* values_out, Count count, int begin_bit = 0,
                               int end_bit = static_cast<int>(sizeof(Key) * 8),
                               cudaStream_t stream = nullptr) {
    static_assert(std::is_integral_v<Key>, "the emulated radix sort takes integer keys");
    (void)stream;
    const auto items = static_cast<std::size_t>(count);
    // As much as cub asks for a pair sort: a second copy of keys and values.
    const std::size_t needed = items * (sizeof(Key) + sizeof(Value)) + 256;
    if (temp_storage == nullptr) {
      temp_storage_bytes = needed;
      return cudaSuccess;
    }
    if (temp_storage_bytes < needed) return cudaErrorInvalidValue;
    for (const auto& [pointer, bytes] : {std::pair<const void*, std::size_t>{temp_storage, needed},
                                         {keys_in, items * sizeof(Key)},
                                         {keys_out, items * sizeof(Key)},
                                         {values_in, items * sizeof(Value)},
                                         {values_out, items * sizeof(Value)}}) {
      if (items == 0) break;
      if (const std::string problem = ::cuseq::emulator::device_range_problem(pointer, bytes);
          !problem.empty()) {
        ::cuseq::emulator::report("cub::DeviceRadixSort::SortPairs: " + problem);
        return cudaErrorIllegalAddress;
      }
    }
    std::memset(temp_storage, 0xFF, needed);
    // cub orders signed keys by flipping their sign bit, then sorts bits [begin, end).
    using Bits = std::make_unsigned_t<Key>;
    const Bits flip = std::is_signed_v<Key> ? Bits(Bits(1) << (sizeof(Key) * 8 - 1)) : Bits(0);
    const int width = end_bit - begin_bit;
    const Bits mask =
        width >= static_cast<int>(sizeof(Key) * 8) ? Bits(~Bits(0)) : Bits((Bits(1) << width) - 1);
    const auto radix = [&](Key key) {
      return static_cast<Bits>((static_cast<Bits>(key) ^ flip) >> begin_bit) & mask;
    };
    std::vector<std::size_t> order(items);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return radix(keys_in[a]) < radix(keys_in[b]);
    });
    std::vector<Key> keys(items);
    std::vector<Value> values(items);
    for (std::size_t i = 0; i < items; ++i)
      keys[i] = keys_in[order[i]], values[i] = values_in[order[i]];
    std::copy(keys.begin(), keys.end(), keys_out);
    std::copy(values.begin(), values.end(), values_out);
    return cudaSuccess;
  }
};

}  // namespace cub
