// Embedding lookup and its deterministic gradient (cuseq::ops).
#pragma once

#include <cstdint>
#include <string>

#include "cuseq/export.h"
#include "cuseq/tensor.h"

namespace cuseq::ops {

// Throws a cuseq::Error naming `where`, the first bad id and its position
// (e.g. "[3, 7]") unless every int32 id lies in [0, input_dim). GPU ids are
// checked by a kernel; only the verdict comes back to the host.
CUSEQ_API void check_ids_in_range(const Tensor& ids, std::int64_t input_dim,
                                  const std::string& where);

// out[..., :] = table[ids[...], :]: ids int32 of any shape, table
// [input_dim, dim], out of shape ids.shape + [dim]. Ids are range-checked first.
CUSEQ_API void embedding_lookup(const Tensor& ids, const Tensor& table, Tensor& out,
                                const std::string& where = "embedding_lookup");

// grad_table[v, :] += the sum of grad_out[..., :] over the positions whose id
// is v. Repeated ids are summed in position order, without atomics: the
// result is bit-identical run after run. Ids are range-checked first.
CUSEQ_API void embedding_grad(const Tensor& ids, const Tensor& grad_out, Tensor& grad_table,
                              const std::string& where = "embedding_grad");

// mask = 1 where ids != 0, else 0 (Keras' mask_zero): a float mask of ids' shape.
CUSEQ_API void nonzero_mask(const Tensor& ids, Tensor& mask);

}  // namespace cuseq::ops
