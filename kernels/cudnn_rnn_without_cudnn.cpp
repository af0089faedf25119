// Builds without cuDNN (CPU-only, or the emulated GPU, which runs no cuDNN):
// every use is a clear error.
#include "cuseq/cudnn_rnn.h"

namespace cuseq {

bool built_with_cudnn() { return false; }

namespace ops {

struct CudnnRnn::Plan {};

CudnnRnn::CudnnRnn(const RecurrentSpec&, const RecurrentWeights&, std::int64_t, std::int64_t) {
  fail("CudnnRnn", "cuseq was built without cuDNN (CPU-only or emulated-GPU build)");
}
CudnnRnn::~CudnnRnn() = default;
RecurrentTape CudnnRnn::forward(const Tensor&, const Tensor&, const Tensor&) { return {}; }
RecurrentInputGradients CudnnRnn::backward(const Tensor&, const Tensor&, const Tensor&,
                                           RecurrentWeights&) {
  return {};
}
const std::string& CudnnRnn::math() const {
  static const std::string none = "none";
  return none;
}

}  // namespace ops
}  // namespace cuseq
