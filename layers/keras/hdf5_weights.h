// Keras 3's weights file (model.weights.h5, or a .weights.h5 alone) through
// HDF5, in memory: each layer's variables are datasets "0", "1", ... in a
// group "<layer path>/vars", e.g. "layers/lstm/cell/vars/1".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cuseq/tensor.h"

namespace cuseq::detail {

class H5WeightsReader {
 public:
  // `bytes`: a whole HDF5 file; `source` names it in errors.
  H5WeightsReader(const std::string& bytes, std::string source);
  ~H5WeightsReader();
  H5WeightsReader(const H5WeightsReader&) = delete;
  H5WeightsReader& operator=(const H5WeightsReader&) = delete;

  // The datasets of "<group>/vars" as host tensors of `dtype`, checked against
  // `shapes` (their count too): an error names the path, expected and found.
  std::vector<Tensor> read(const std::string& group, const std::vector<Shape>& shapes,
                           DType dtype) const;

 private:
  std::string source_;
  std::int64_t file_ = -1;
};

class H5WeightsWriter {
 public:
  H5WeightsWriter();
  ~H5WeightsWriter();
  H5WeightsWriter(const H5WeightsWriter&) = delete;
  H5WeightsWriter& operator=(const H5WeightsWriter&) = delete;

  // Creates "<group>/vars" (with its parents) holding `values` as "0", "1", ...
  // A group written twice must get its values the second time only.
  void write(const std::string& group, const std::vector<Tensor>& values);
  // The file's bytes (the writer stays usable).
  std::string bytes() const;

 private:
  std::int64_t file_ = -1;
};

}  // namespace cuseq::detail
