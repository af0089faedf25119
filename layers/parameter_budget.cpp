#include "layers/detail/parameter_budget.h"

#include "cuseq/error.h"

namespace cuseq::detail {
namespace {

thread_local ParameterBudget* active_budget = nullptr;

}  // namespace

ParameterBudget::ParameterBudget(std::uint64_t bytes, std::string source)
    : left_(bytes), source_(std::move(source)), outer_(active_budget) {
  active_budget = this;
}

ParameterBudget::~ParameterBudget() { active_budget = outer_; }

void ParameterBudget::charge(const std::string& layer, const std::string& weight,
                             const Shape& shape, DType dtype) {
  ParameterBudget* budget = active_budget;
  if (budget == nullptr) return;
  // Shape keeps numel() an int64; the product with a dtype size fits 2^64 unless absurd.
  const auto elements = static_cast<std::uint64_t>(shape.numel());
  const std::uint64_t bytes =
      elements > budget->left_ ? budget->left_ + 1 : elements * dtype_size(dtype);
  check(bytes <= budget->left_, layer, "\"", budget->source_, "\" asks for weight ", weight, " ",
        dtype_name(dtype), shape, " (", elements, " values), more than the ", budget->left_,
        " bytes the file has left for weights");
  budget->left_ -= bytes;
}

}  // namespace cuseq::detail
