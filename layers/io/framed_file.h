// The frame shared by cuseq's checksummed binary files (model files,
// language-model checkpoints): 8-byte magic, u32 version, the format's own
// fixed header fields, u64 payload size, u32 CRC-32 of the payload, then the
// payload. One implementation, so every format rejects wrong magic, other
// versions, truncation and flipped bytes with the same checks and messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "layers/io/binary_io.h"

namespace cuseq::detail {

struct FileFrame {
  const char* magic;          // exactly 8 bytes, e.g. "cuseqmdl"
  std::uint32_t version;      // the only version this cuseq reads
  std::size_t field_bytes;    // the format's own header fields after the version
  const char* description;    // "a cuseq model file", as in "... is not <description>"
  const char* version_label;  // "format version", as in "... has <label> 2"
  const char* where;          // names the operation in errors

  std::size_t header_bytes() const { return 8 + 4 + field_bytes + 8 + 4; }
};

// Writes header and payload with write_file_atomically; `fields` holds exactly
// frame.field_bytes bytes.
void write_framed_file(const std::string& path, const FileFrame& frame, const std::string& fields,
                       const std::string& payload);

// Reads `path` and checks magic and version, passes the format's own fields to
// `read_fields` (which checks them and may throw), then checks the payload size
// and CRC-32. Returns the payload.
std::string read_framed_file(const std::string& path, const FileFrame& frame,
                             const std::function<void(ByteReader& fields)>& read_fields = {});

}  // namespace cuseq::detail
