#include <algorithm>

#include "cuseq/error.h"
#include "cuseq/sequence.h"

namespace cuseq {
namespace {

constexpr const char* kWhere = "pad_sequences";

// true for "pre", false for "post"; anything else is an error naming `what`.
bool is_pre(const std::string& side, const char* what) {
  check(side == "pre" || side == "post", kWhere, what, " must be \"pre\" or \"post\", got \"", side,
        "\"");
  return side == "pre";
}

}  // namespace

Tensor pad_sequences(const std::vector<std::vector<std::int32_t>>& sequences,
                     std::optional<std::int64_t> maxlen, const std::string& padding,
                     const std::string& truncating, std::int32_t value) {
  const bool pad_before = is_pre(padding, "padding");
  const bool cut_start = is_pre(truncating, "truncating");
  std::int64_t width = 0;
  if (maxlen.has_value()) {
    check(*maxlen > 0, kWhere, "maxlen must be positive, got ", *maxlen);
    width = *maxlen;
  } else {
    for (const auto& sequence : sequences) {
      width = std::max(width, static_cast<std::int64_t>(sequence.size()));
    }
  }

  const auto rows = static_cast<std::int64_t>(sequences.size());
  // The tensor first: a maxlen too large to hold is a cuseq::Error naming the shape.
  Tensor padded = Tensor::empty(Shape{rows, width}, DType::int32);
  std::int32_t* values = padded.data<std::int32_t>();
  std::fill(values, values + padded.numel(), value);
  for (std::int64_t row = 0; row < rows; ++row) {
    const auto& sequence = sequences[static_cast<std::size_t>(row)];
    const auto length = static_cast<std::int64_t>(sequence.size());
    const std::int64_t kept = std::min(length, width);
    const auto first = sequence.begin() + (cut_start ? length - kept : 0);
    const std::int64_t column = pad_before ? width - kept : 0;
    std::copy(first, first + kept, values + row * width + column);
  }
  return padded;
}

}  // namespace cuseq
