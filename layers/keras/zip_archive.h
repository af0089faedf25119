// The zip container of a Keras 3 .keras file, through libzip, in memory.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cuseq::detail {

// Named byte strings: a zip's entries, in order.
using ZipEntries = std::vector<std::pair<std::string, std::string>>;

// Every entry of the zip archive `bytes` (from `source`, for errors). A
// corrupt archive, or an entry larger than max_entry_bytes or than its
// compressed size allows, is a cuseq::Error naming `source`.
ZipEntries read_zip(const std::string& bytes, const std::string& source,
                    std::uint64_t max_entry_bytes = std::uint64_t(1) << 34);

// A deflated zip archive holding `entries`.
std::string write_zip(const ZipEntries& entries, const std::string& destination);

// The entry named `name`; a cuseq::Error listing the entries when absent.
const std::string& zip_entry(const ZipEntries& entries, const std::string& name,
                             const std::string& source);

}  // namespace cuseq::detail
