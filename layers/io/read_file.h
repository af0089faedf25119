// Whole-file reads for the data loaders, with errors that name the file.
#pragma once

#include <string>

namespace cuseq::detail {

// The bytes of `path`; throws cuseq::Error naming `where` and the path when
// the file cannot be opened or read.
std::string read_file_bytes(const std::string& path, const std::string& where);

}  // namespace cuseq::detail
