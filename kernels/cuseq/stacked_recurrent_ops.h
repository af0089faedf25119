// Stacked recurrent layers run as a wavefront (DESIGN.md, "Recurrent kernels",
// item 4): time is cut into chunks of K steps, and layer l runs chunk c once
// layer l-1 has run chunk c and layer l has run chunk c-1. With each layer on
// its own stream, layer l runs chunk c while layer l-1 runs chunk c+1.
// Each (layer, chunk) is one recurrent_forward / recurrent_backward whose
// initial states are the previous chunk's final states, so the results are
// those of running the layers one after the other.
//
// Restrictions: only the first layer may have go_backwards (a higher one's
// first step would need the lower layer's last output); every layer but the
// last has return_sequences.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "cuseq/export.h"
#include "cuseq/recurrent_ops.h"
#include "cuseq/stream.h"
#include "cuseq/tensor.h"

namespace cuseq::ops {

struct StackedRecurrentLayer {
  RecurrentSpec spec;
  RecurrentWeights weights;
};

// What a stacked forward keeps for its backward pass.
struct StackedRecurrentTape {
  std::int64_t chunk_steps = 0;
  // [layer][chunk], chunks in processing order; chunk c covers processing
  // steps [c * chunk_steps, (c + 1) * chunk_steps) (the last one may be shorter).
  std::vector<std::vector<RecurrentTape>> chunks;
  Tensor output;  // the last layer's, as recurrent_forward gives it
};

// The chunk size that chunk_steps = 0 picks for `steps` on `device`: today the
// whole sequence on both backends, since the measured wavefront did not pay
// (the CPU runs ops in order; on an H200 8 chunks ran slower than one).
CUSEQ_API std::int64_t automatic_chunk_steps(Device device, std::int64_t steps);

// inputs[l]: layer l's initial states, step mask and dropout masks; inputs[0].x
// is the sequence [batch, steps, features]; inputs[l > 0].x must be undefined
// (it is layer l-1's output). chunk_steps: 1..steps, or 0 for
// automatic_chunk_steps. streams: one per layer (layer l's work is queued on
// streams[l]), or empty to queue everything on the current stream. The
// current stream waits for all of it before this returns.
CUSEQ_API StackedRecurrentTape stacked_recurrent_forward(
    const std::vector<StackedRecurrentLayer>& layers, const std::vector<RecurrentInputs>& inputs,
    std::int64_t chunk_steps, const std::vector<const Stream*>& streams = {});

struct StackedRecurrentGradients {
  Tensor d_x;                       // dL/d(inputs[0].x)
  std::vector<Tensor> d_initial_h;  // per layer
  std::vector<Tensor> d_initial_c;  // per layer, LSTM only (else undefined)
};

// d_output: dL/d(tape.output), may be undefined; d_final_h, d_final_c: per
// layer dL/d of its final states, each may be undefined (or the vectors
// empty). ADDS each layer's weight gradients into weight_grads[l]. Streams as
// for the forward pass. `layer_done(l)`, when given, is called as soon as
// layer l's gradients are all queued (top layer first), with the caller's
// stream already waiting for them: a gradient all-reduce can start there
// while the layers below still run their backward.
CUSEQ_API StackedRecurrentGradients stacked_recurrent_backward(
    const std::vector<StackedRecurrentLayer>& layers, const StackedRecurrentTape& tape,
    const Tensor& d_output, const std::vector<Tensor>& d_final_h,
    const std::vector<Tensor>& d_final_c, std::vector<RecurrentWeights>& weight_grads,
    const std::vector<const Stream*>& streams = {},
    const std::function<void(std::size_t layer)>& layer_done = nullptr);

}  // namespace cuseq::ops
