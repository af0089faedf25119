// Forging cuseq's checksummed files for the hostile-input tests: a payload
// edited by hand gets a new size and CRC-32, so the reader's checks past the
// checksum are reached, as a file crafted on purpose would reach them.
#pragma once

#include <cstdint>
#include <string>

namespace cuseq::testing {

// CRC-32 (IEEE, the zlib polynomial), computed here independently of cuseq.
inline std::uint32_t reference_crc32(const std::string& bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char byte : bytes) {
    crc ^= static_cast<unsigned char>(byte);
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
  }
  return crc ^ 0xFFFFFFFFu;
}

inline void put_le(std::string& bytes, std::size_t at, std::uint64_t value, int width) {
  for (int b = 0; b < width; ++b) bytes[at + b] = static_cast<char>((value >> (8 * b)) & 0xFF);
}

// A framed file (8-byte magic, u32 version, `field_bytes` of the format's own
// fields, u64 size, u32 CRC) whose payload is replaced by `payload`:
// model files have field_bytes 4, checkpoints 0.
inline std::string reframe(const std::string& file, std::size_t field_bytes,
                           const std::string& payload) {
  const std::size_t size_at = 8 + 4 + field_bytes;
  std::string out = file.substr(0, size_at + 12);
  put_le(out, size_at, payload.size(), 8);
  put_le(out, size_at + 8, reference_crc32(payload), 4);
  return out + payload;
}

inline std::string payload_of(const std::string& file, std::size_t field_bytes) {
  return file.substr(8 + 4 + field_bytes + 12);
}

// A string as the files encode it: u32 length, then the bytes.
inline std::string encoded(const std::string& text) {
  std::string out(4, '\0');
  put_le(out, 0, text.size(), 4);
  return out + text;
}

// Replaces the first occurrence of `from` in `bytes` by `to`; false when absent.
inline bool replace_first(std::string& bytes, const std::string& from, const std::string& to) {
  const std::size_t at = bytes.find(from);
  if (at == std::string::npos) return false;
  bytes.replace(at, from.size(), to);
  return true;
}

}  // namespace cuseq::testing
