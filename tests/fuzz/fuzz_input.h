// What every fuzz target shares: the input bytes as a file (the readers take
// paths), and the rule that a cuseq::Error is the only acceptable way for a
// reader to refuse input. Anything else — a crash, a sanitizer report, any
// other exception (std::bad_alloc included) — stops libFuzzer with the input.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "cuseq/error.h"

namespace cuseq::fuzz {

// A scratch path unique to this process, under $TMPDIR (or /tmp).
inline std::string scratch_path(const std::string& name) {
  const char* folder = std::getenv("TMPDIR");
  return std::string(folder && *folder ? folder : "/tmp") + "/cuseq_fuzz_" +
         std::to_string(::getpid()) + "_" + name;
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Runs `read`; a cuseq::Error is a clean refusal and is swallowed.
template <class Read>
void refuse_cleanly(Read read) {
  try {
    read();
  } catch (const Error&) {
  }
}

// A reader accepted input and broke a promise of its interface (a silent
// acceptance): report it as a finding, not as a clean refusal.
[[noreturn]] inline void broken_promise(const std::string& what) {
  std::fprintf(stderr, "broken promise: %s\n", what.c_str());
  std::abort();
}

}  // namespace cuseq::fuzz
