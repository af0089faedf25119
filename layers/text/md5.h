// MD5 (RFC 1321), used only so that hashing_trick(..., WordHash::md5) gives the
// indices Keras' hashing_trick(hash_function="md5") gives. Not for security.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace cuseq::detail {

// The 16-byte digest, in the order of Python's hashlib.md5(...).digest().
std::array<std::uint8_t, 16> md5_digest(const std::string& bytes);

}  // namespace cuseq::detail
