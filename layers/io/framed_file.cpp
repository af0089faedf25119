#include "layers/io/framed_file.h"

#include <cstring>

#include "cuseq/error.h"
#include "layers/io/atomic_file.h"
#include "layers/io/read_file.h"

namespace cuseq::detail {
namespace {

constexpr std::size_t kMagicBytes = 8;

}  // namespace

void write_framed_file(const std::string& path, const FileFrame& frame, const std::string& fields,
                       const std::string& payload) {
  ByteWriter header;
  header.raw(std::string(frame.magic, kMagicBytes));
  header.u32(frame.version);
  header.raw(fields);
  header.u64(payload.size());
  header.u32(crc32(payload));
  write_file_atomically(path, header.bytes() + payload);
}

std::string read_framed_file(const std::string& path, const FileFrame& frame,
                             const std::function<void(ByteReader& fields)>& read_fields) {
  const std::string bytes = read_file_bytes(path, frame.where);
  const std::size_t header_bytes = frame.header_bytes();
  if (bytes.size() < header_bytes || std::memcmp(bytes.data(), frame.magic, kMagicBytes) != 0) {
    fail(frame.where, "\"", path, "\" is not ", frame.description, ": expected the magic \"",
         std::string(frame.magic, kMagicBytes), "\" and a ", header_bytes, "-byte header, got ",
         bytes.size() < header_bytes ? "a shorter file" : "other bytes");
  }
  ByteReader header(bytes, path);
  header.raw(kMagicBytes, "the magic");
  const std::uint32_t version = header.u32("the version");
  check(version == frame.version, frame.where, "\"", path, "\" has ", frame.version_label, " ",
        version, "; this cuseq reads version ", frame.version);
  if (read_fields) {
    read_fields(header);
  } else {
    header.raw(frame.field_bytes, "the header fields");
  }
  const std::uint64_t size = header.u64("the payload size");
  const std::uint32_t checksum = header.u32("the checksum");
  check(bytes.size() - header_bytes == size, frame.where, "\"", path,
        "\" is truncated or padded: the header announces ", size, " payload bytes, the file has ",
        bytes.size() - header_bytes);
  std::string payload = bytes.substr(header_bytes);
  const std::uint32_t actual = crc32(payload);
  check(actual == checksum, frame.where, "\"", path, "\" is corrupt: payload CRC-32 is ", actual,
        ", the header expects ", checksum);
  return payload;
}

}  // namespace cuseq::detail
