// Held-out data for language models: the tail of a token file as its own file.
#include <algorithm>
#include <vector>

#include "cuseq/language_model.h"

namespace cuseq {
namespace {

// Streams tokens [begin, end) of `source` into a new token file in chunks.
void copy_range(const TokenFile& source, std::uint64_t begin, std::uint64_t end,
                const std::string& path) {
  constexpr std::uint64_t kChunk = std::uint64_t{1} << 20;
  TokenFileWriter writer(path, source.vocab_size(), source.unit());
  std::vector<std::int32_t> ids(kChunk);
  for (std::uint64_t at = begin; at < end; at += kChunk) {
    const std::uint64_t count = std::min(kChunk, end - at);
    source.copy_ids(at, count, ids.data());
    // Ids are < vocab_size <= 2^32, so the int32 copies hold them bit for bit.
    writer.append(reinterpret_cast<const std::uint32_t*>(ids.data()), count);
  }
  writer.finish();
}

}  // namespace

void split_token_file(const TokenFile& source, double validation_fraction,
                      const std::string& train_path, const std::string& validation_path) {
  check(validation_fraction > 0 && validation_fraction < 1, "split_token_file",
        "the validation fraction must be in (0, 1), got ", validation_fraction);
  const auto split =
      static_cast<std::uint64_t>(static_cast<double>(source.count()) * (1.0 - validation_fraction));
  copy_range(source, 0, split, train_path);
  copy_range(source, split, source.count(), validation_path);
}

}  // namespace cuseq
