#include "layers/io/atomic_file.h"

#include "layers/io/atomic_output.h"

namespace cuseq::detail {

// The in-memory case of AtomicOutput: one write, then the same commit protocol.
void write_file_atomically(const std::string& path, const std::string& bytes) {
  AtomicOutput output(path, "write_file");
  output.write(bytes.data(), bytes.size());
  output.commit();
}

}  // namespace cuseq::detail
