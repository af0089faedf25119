// The 64-byte header of a token file (layout in cuseq/token_file.h), encoded
// byte by byte so files are little-endian on any host.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "cuseq/token_file.h"

namespace cuseq::detail {

struct TokenFileHeader {
  std::uint32_t version = kTokenFileVersion;
  std::uint32_t token_bytes = 2;
  std::uint64_t count = 0;
  std::uint64_t vocab_size = 0;
  std::uint64_t checksum = 0;
  TokenUnit unit = TokenUnit::byte;
};

std::array<unsigned char, kTokenFileHeaderBytes> encode_header(const TokenFileHeader& header);
// Checks magic, version, token width, unit and reserved bytes; `path` names the
// file in the cuseq::Error thrown when any is wrong.
TokenFileHeader decode_header(const unsigned char* bytes, const std::string& path);

}  // namespace cuseq::detail
