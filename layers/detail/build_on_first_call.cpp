#include "layers/detail/build_on_first_call.h"

#include <cstdint>
#include <mutex>
#include <vector>

#include "cuseq/error.h"

namespace cuseq::detail {

Generator& standalone_generator() {
  static Generator generator;
  return generator;
}

void build_on_first_call(Layer& layer, const Tensor& input, DType weight_dtype) {
  if (layer.built()) return;
  check(input.defined() && input.rank() >= 1, layer.name(),
        "expected an input with a batch axis, got ", input);
  std::vector<std::int64_t> dims(input.shape().dims().begin() + 1, input.shape().dims().end());
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  layer.build(Shape(dims), weight_dtype, input.device(), standalone_generator());
}

}  // namespace cuseq::detail
