// A bound on the weights that layers may create on this thread while a
// ParameterBudget lives. load_model sets it to the bytes its file has left
// for weights: a file whose layer configs ask for more than that (a forged
// units="2000000" with a valid checksum) is refused before anything that size
// is allocated, not after gigabytes were filled.
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/shape.h"
#include "cuseq/tensor.h"

namespace cuseq::detail {

class ParameterBudget {
 public:
  // `source` names the file in errors.
  ParameterBudget(std::uint64_t bytes, std::string source);
  ~ParameterBudget();
  ParameterBudget(const ParameterBudget&) = delete;
  ParameterBudget& operator=(const ParameterBudget&) = delete;

  // Takes a new weight's bytes from the active budget, if any; throws a
  // cuseq::Error naming the layer, the weight and the file when they exceed it.
  static void charge(const std::string& layer, const std::string& weight, const Shape& shape,
                     DType dtype);

 private:
  std::uint64_t left_;
  std::string source_;
  ParameterBudget* outer_;
};

}  // namespace cuseq::detail
