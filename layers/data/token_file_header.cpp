#include "layers/data/token_file_header.h"

#include <cstring>

#include "cuseq/error.h"

namespace cuseq::detail {
namespace {

constexpr char kMagic[8] = {'C', 'U', 'S', 'E', 'Q', 'T', 'O', 'K'};

void put(unsigned char* out, std::uint64_t value, int bytes) {
  for (int b = 0; b < bytes; ++b) out[b] = static_cast<unsigned char>(value >> (8 * b));
}

std::uint64_t get(const unsigned char* in, int bytes) {
  std::uint64_t value = 0;
  for (int b = bytes - 1; b >= 0; --b) value = (value << 8) | in[b];
  return value;
}

}  // namespace

std::array<unsigned char, kTokenFileHeaderBytes> encode_header(const TokenFileHeader& header) {
  std::array<unsigned char, kTokenFileHeaderBytes> bytes{};
  std::memcpy(bytes.data(), kMagic, sizeof kMagic);
  put(bytes.data() + 8, header.version, 4);
  put(bytes.data() + 12, header.token_bytes, 4);
  put(bytes.data() + 16, header.count, 8);
  put(bytes.data() + 24, header.vocab_size, 8);
  put(bytes.data() + 32, header.checksum, 8);
  put(bytes.data() + 40, static_cast<std::uint32_t>(header.unit), 4);
  return bytes;
}

TokenFileHeader decode_header(const unsigned char* bytes, const std::string& path) {
  const std::string where = "TokenFile " + path;
  check(std::memcmp(bytes, kMagic, sizeof kMagic) == 0, where,
        "not a cuseq token file (the magic \"CUSEQTOK\" is missing)");
  TokenFileHeader header;
  header.version = static_cast<std::uint32_t>(get(bytes + 8, 4));
  check(header.version == kTokenFileVersion, where, "unsupported version ", header.version,
        " (this build reads version ", kTokenFileVersion, ")");
  header.token_bytes = static_cast<std::uint32_t>(get(bytes + 12, 4));
  check(header.token_bytes == 2 || header.token_bytes == 4, where,
        "corrupt header: token width must be 2 or 4 bytes, got ", header.token_bytes);
  header.count = get(bytes + 16, 8);
  header.vocab_size = get(bytes + 24, 8);
  check(header.vocab_size > 0 &&
            header.vocab_size <= (header.token_bytes == 2 ? 65536ULL : 1ULL << 31),
        where, "corrupt header: vocab_size ", header.vocab_size, " does not fit ",
        header.token_bytes, "-byte ids");
  header.checksum = get(bytes + 32, 8);
  const std::uint64_t unit = get(bytes + 40, 4);
  check(unit <= static_cast<std::uint32_t>(TokenUnit::word), where,
        "corrupt header: unknown token unit ", unit);
  header.unit = static_cast<TokenUnit>(unit);
  for (std::size_t i = 44; i < kTokenFileHeaderBytes; ++i) {
    check(bytes[i] == 0, where, "corrupt header: reserved byte ", i, " is not zero");
  }
  return header;
}

}  // namespace cuseq::detail
