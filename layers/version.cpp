#include "cuseq/version.h"

#include "cuseq/device.h"

namespace cuseq {

std::string version() {
  return std::string(CUSEQ_VERSION_STRING) + (built_with_cuda() ? " (cuda)" : " (cpu)");
}

}  // namespace cuseq
