// Held-out data for language models: the tail of a token file as its own file.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <sstream>
#include <vector>

#include "cuseq/language_model.h"
#include "layers/io/atomic_file.h"

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
  // Writing a half over its own source would cut the source short.
  for (const std::string* output : {&train_path, &validation_path}) {
    std::error_code error;
    check(*output != source.path() && !std::filesystem::equivalent(*output, source.path(), error),
          "split_token_file", "the output \"", *output, "\" is the source \"", source.path(), "\"");
  }
  check(train_path != validation_path, "split_token_file", "both halves would be \"", train_path,
        "\"");
  const auto split =
      static_cast<std::uint64_t>(static_cast<double>(source.count()) * (1.0 - validation_fraction));
  copy_range(source, 0, split, train_path);
  copy_range(source, split, source.count(), validation_path);
}

namespace {

// What a split was made from, written beside it last: "key value" lines.
std::string split_manifest(const TokenFile& source, double validation_fraction,
                           const TokenFile& train, const TokenFile& validation) {
  std::ostringstream text;
  text << "source " << std::filesystem::absolute(source.path()).string() << "\ncount "
       << source.count() << "\nvocab_size " << source.vocab_size() << "\nunit "
       << token_unit_name(source.unit()) << "\nchecksum " << source.checksum()
       << "\nvalidation_fraction " << std::setprecision(17) << validation_fraction
       << "\ntrain_checksum " << train.checksum() << "\nvalidation_checksum "
       << validation.checksum() << "\n";
  return text.str();
}

// The manifest the split at these paths would have now; "" when a half is missing or unreadable.
std::string current_manifest(const TokenFile& source, double validation_fraction,
                             const std::string& train_path, const std::string& validation_path) {
  TokenFileOptions header_only;
  header_only.verify_checksum = false;  // the manifest compares the headers' checksums
  try {
    return split_manifest(source, validation_fraction, TokenFile::open(train_path, header_only),
                          TokenFile::open(validation_path, header_only));
  } catch (const Error&) {
    return "";
  }
}

}  // namespace

bool split_token_file_once(const std::string& source_path, double validation_fraction,
                           const std::string& train_path, const std::string& validation_path) {
  const TokenFile source = TokenFile::open(source_path);
  const std::string manifest_path = train_path + ".split";
  std::ifstream manifest(manifest_path, std::ios::binary);
  const std::string recorded(std::istreambuf_iterator<char>(manifest), {});
  if (manifest.is_open() && !recorded.empty() &&
      recorded == current_manifest(source, validation_fraction, train_path, validation_path)) {
    return false;
  }
  // No manifest while the halves are rewritten: a kill in between redoes the split.
  std::remove(manifest_path.c_str());
  split_token_file(source, validation_fraction, train_path, validation_path);
  detail::write_file_atomically(
      manifest_path, split_manifest(source, validation_fraction, TokenFile::open(train_path),
                                    TokenFile::open(validation_path)));
  return true;
}

}  // namespace cuseq
