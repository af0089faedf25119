#include "layers/io/read_file.h"

#include <fstream>
#include <sstream>

#include "cuseq/error.h"

namespace cuseq::detail {

std::string read_file_bytes(const std::string& path, const std::string& where) {
  std::ifstream file(path, std::ios::binary);
  check(file.is_open(), where, "cannot open \"", path, "\"");
  std::ostringstream bytes;
  bytes << file.rdbuf();
  check(!file.bad(), where, "error while reading \"", path, "\"");
  return bytes.str();
}

}  // namespace cuseq::detail
