// The CPU-only build has no cuDNN: every use is a clear error.
#include "cuseq/cudnn_rnn.h"

namespace cuseq::ops {

struct CudnnRnn::Plan {};

CudnnRnn::CudnnRnn(const RecurrentSpec&, const RecurrentWeights&, std::int64_t, std::int64_t) {
  fail("CudnnRnn", "cuseq was built without CUDA (CUSEQ_CUDA=OFF): no cuDNN");
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

}  // namespace cuseq::ops
