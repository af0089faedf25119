// Crash-safe file replacement: readers see the old file or the new one, never
// a mixture, even when the writer dies mid-write or the machine loses power.
#pragma once

#include <string>

namespace cuseq::detail {

// Writes `bytes` to "<path>.tmp.<pid>", fsyncs it, renames it over `path` and
// fsyncs the directory. Throws a cuseq::Error naming the path and the system's
// reason on failure, after removing the temporary file.
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace cuseq::detail
