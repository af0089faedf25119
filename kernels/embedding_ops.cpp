// cuseq::ops embedding ops: argument checks, then one dispatch.
#include "cuseq/embedding_ops.h"

#include <climits>
#include <sstream>

#include "kernels/embedding.h"

namespace cuseq::ops {
namespace {

using detail::EmbeddingKernels;
using detail::on_backend;

// "[b, s]" for a flat position in a tensor of `shape`.
std::string multi_index(std::int64_t flat, const Shape& shape) {
  std::vector<std::int64_t> index(static_cast<std::size_t>(shape.rank()));
  for (int axis = shape.rank() - 1; axis >= 0; --axis) {
    index[static_cast<std::size_t>(axis)] = flat % shape[axis];
    flat /= shape[axis];
  }
  std::ostringstream out;
  out << "[";
  for (std::size_t i = 0; i < index.size(); ++i) out << (i ? ", " : "") << index[i];
  out << "]";
  return out.str();
}

void check_ids(const Tensor& ids, const std::string& where) {
  check(ids.defined(), where, "ids are undefined");
  check_dtype(ids, DType::int32, where, "ids");
  check(ids.numel() < INT_MAX, where, "at most ", INT_MAX - 1, " ids per call, got ", ids.numel());
}

Shape rows_shape(const Tensor& ids, std::int64_t dim) {
  std::vector<std::int64_t> dims = ids.shape().dims();
  dims.push_back(dim);
  return Shape(dims);
}

// The lookup's operands: a table [input_dim, output_dim] that every id indexes,
// and the rows [ids..., output_dim] that the lookup writes or its gradient reads.
void check_lookup(const Tensor& ids, const Tensor& table, const std::string& table_what,
                  const Tensor& rows, const std::string& rows_what, const std::string& where) {
  check_ids(ids, where);
  check(table.defined() && table.rank() == 2, where, "expected ", table_what,
        " of shape [input_dim, output_dim], got ", table);
  check(table.dtype() == DType::float32 || table.dtype() == DType::float64, where, "expected ",
        table_what, " of dtype float32 or float64, got ", table);
  check_same_device(table, ids, where);
  check_dtype(rows, table.dtype(), where, rows_what);
  check_shape(rows, rows_shape(ids, table.dim(1)), where, rows_what);
  check_same_device(rows, table, where);
  check_ids_in_range(ids, table.dim(0), where);
}

}  // namespace

void check_ids_in_range(const Tensor& ids, std::int64_t input_dim, const std::string& where) {
  check_ids(ids, where);
  const std::int64_t bad = on_backend(ids.device(), where, [&](auto where_tag) {
    return EmbeddingKernels<decltype(where_tag)>::first_invalid_id(ids, input_dim);
  });
  if (bad < 0) return;
  const std::int32_t id =
      ids.reshape({-1}).slice(bad, bad + 1).to(Device::cpu()).data<std::int32_t>()[0];
  fail(where, "id ", id, " at position ", multi_index(bad, ids.shape()), " of the ids ",
       ids.shape().str(), " is outside [0, ", input_dim, ")");
}

void embedding_lookup(const Tensor& ids, const Tensor& table, Tensor& out,
                      const std::string& where) {
  check_lookup(ids, table, "table", out, "out", where);
  on_backend(out.device(), where, [&](auto where_tag) {
    EmbeddingKernels<decltype(where_tag)>::lookup(ids, table, out);
  });
}

void embedding_grad(const Tensor& ids, const Tensor& grad_out, Tensor& grad_table,
                    const std::string& where) {
  check_lookup(ids, grad_table, "grad_table", grad_out, "grad_out", where);
  on_backend(grad_table.device(), where, [&](auto where_tag) {
    EmbeddingKernels<decltype(where_tag)>::accumulate_grad(ids, grad_out, grad_table);
  });
}

void nonzero_mask(const Tensor& ids, Tensor& mask) {
  check_ids(ids, "nonzero_mask");
  check(mask.defined() && (mask.dtype() == DType::float32 || mask.dtype() == DType::float64),
        "nonzero_mask", "expected a float32 or float64 mask, got ", mask);
  check_shape(mask, ids.shape(), "nonzero_mask", "mask");
  check_same_device(mask, ids, "nonzero_mask");
  on_backend(mask.device(), "nonzero_mask", [&](auto where_tag) {
    EmbeddingKernels<decltype(where_tag)>::nonzero_mask(ids, mask);
  });
}

}  // namespace cuseq::ops
