// The library's version, for programs that report what they ran on.
#pragma once

#include <string>

#include "cuseq/export.h"

namespace cuseq {

// "0.1.0", plus whether the CUDA backend was compiled in, e.g. "0.1.0 (cuda)".
CUSEQ_API std::string version();

}  // namespace cuseq
