// Builds without cuDNN (CPU-only, or the emulated GPU, which runs no cuDNN):
// cuDNN's convolution is a clear error.
#include "cuseq/error.h"
#include "kernels/cudnn_conv.h"

namespace cuseq::detail {

void cudnn_conv1d_forward(const Tensor&, const Tensor&, const Tensor&, const Geometry1d&, Tensor&) {
  fail("conv1d_forward_cudnn", "cuseq was built without cuDNN (CPU-only or emulated-GPU build)");
}

}  // namespace cuseq::detail
