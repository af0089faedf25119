#include <algorithm>
#include <vector>

#include "cuseq/categorical.h"
#include "cuseq/error.h"

namespace cuseq {

Tensor to_categorical(const Tensor& ids, std::optional<std::int64_t> num_classes) {
  constexpr const char* where = "to_categorical";
  check(ids.defined(), where, "ids are undefined");
  check_dtype(ids, DType::int32, where, "ids");
  const std::vector<std::int32_t> values = ids.to_vector<std::int32_t>();
  std::int64_t classes = 0;
  if (num_classes.has_value()) {
    check(*num_classes > 0, where, "num_classes must be positive, got ", *num_classes);
    classes = *num_classes;
  } else {
    for (const std::int32_t id : values) classes = std::max<std::int64_t>(classes, id + 1);
  }

  std::vector<std::int64_t> dims = ids.shape().dims();
  dims.push_back(classes);
  Tensor one_hot = Tensor::zeros(Shape(dims));
  auto* const out = one_hot.data<float>();
  for (std::size_t i = 0; i < values.size(); ++i) {
    check(values[i] >= 0 && values[i] < classes, where, "id ", values[i], " at position ", i,
          " is outside [0, ", classes, ")");
    out[static_cast<std::int64_t>(i) * classes + values[i]] = 1.0f;
  }
  return one_hot;
}

}  // namespace cuseq
