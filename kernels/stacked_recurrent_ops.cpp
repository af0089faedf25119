// The stacked recurrent ops: argument checks, then the wavefront schedule of
// per-(layer, chunk) recurrent_forward / recurrent_backward calls across the
// layers' streams. No kernels of their own beyond the time-block copies.
#include "cuseq/stacked_recurrent_ops.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>

#include "cuseq/time_block_ops.h"
#include "kernels/backend.h"

namespace cuseq::ops {
namespace {

// Layer l's chunks and the streams its work goes to.
class Schedule {
 public:
  Schedule(std::int64_t steps, std::int64_t chunk_steps, std::int64_t layers,
           const std::vector<const Stream*>& streams, Device device)
      : steps_(steps),
        chunk_steps_(chunk_steps),
        chunks_((steps + chunk_steps - 1) / chunk_steps),
        layers_(layers),
        // One chunk leaves nothing to overlap: no stream switches then.
        streams_(chunks_ > 1 ? streams : std::vector<const Stream*>()),
        device_(device),
        caller_(current_stream_handle(device)) {
    // Every layer's stream starts after what the caller queued (inputs, weights).
    for (const Stream* stream : streams_) stream_wait(device_, stream->handle(), caller_);
  }
  // The caller's stream continues after all the layers' work.
  void join() const {
    for (const Stream* stream : streams_) stream_wait(device_, caller_, stream->handle());
  }
  // The caller's stream continues after what `layer` has queued so far.
  void join_layer(std::int64_t layer) const {
    if (streams_.empty()) return;
    stream_wait(device_, caller_, streams_[static_cast<std::size_t>(layer)]->handle());
  }

  std::int64_t chunks() const { return chunks_; }
  std::int64_t diagonals() const { return chunks_ + layers_ - 1; }
  std::int64_t begin(std::int64_t chunk) const { return chunk * chunk_steps_; }
  std::int64_t length(std::int64_t chunk) const {
    return std::min(chunk_steps_, steps_ - begin(chunk));
  }
  // The first input time of `chunk` for a layer (go_backwards runs the chunks from the end).
  std::int64_t time_begin(std::int64_t chunk, bool go_backwards) const {
    return go_backwards ? steps_ - begin(chunk) - length(chunk) : begin(chunk);
  }
  // Makes `layer`'s stream current (nothing without streams) and, when
  // `after` is a layer, has it wait for what that layer's stream queued so far.
  std::optional<StreamGuard> enter(std::int64_t layer, std::int64_t after) const {
    if (streams_.empty()) return std::nullopt;
    const Stream& stream = *streams_[static_cast<std::size_t>(layer)];
    if (after >= 0 && after < layers_) {
      stream_wait(device_, stream.handle(), streams_[static_cast<std::size_t>(after)]->handle());
    }
    return std::optional<StreamGuard>(std::in_place, stream);
  }

 private:
  std::int64_t steps_, chunk_steps_, chunks_, layers_;
  std::vector<const Stream*> streams_;
  Device device_;
  void* caller_;
};

// Steps [begin, begin + length) of a [batch, steps, ...] tensor; the tensor
// itself when that is all of it; undefined stays undefined.
Tensor block_of(const Tensor& t, std::int64_t begin, std::int64_t length) {
  if (!t.defined() || (begin == 0 && length == t.dim(1))) return t;
  return time_block(t, begin, length);
}

void check_streams(const std::vector<const Stream*>& streams, std::size_t layers, Device device,
                   const std::string& op) {
  check(streams.empty() || streams.size() == layers, op, "expected one stream per layer (", layers,
        ") or none, got ", streams.size());
  for (const Stream* stream : streams) {
    check(stream != nullptr && stream->device() == device, op, "expected streams on ", device);
  }
}

// The chunk size to use, checked.
std::int64_t resolve_chunk_steps(std::int64_t chunk_steps, std::int64_t steps, Device device,
                                 const std::string& op) {
  check(chunk_steps >= 0 && chunk_steps <= steps, op, "expected chunk_steps in [1, steps = ", steps,
        "] or 0 (automatic), got ", chunk_steps);
  return chunk_steps == 0 ? automatic_chunk_steps(device, steps) : chunk_steps;
}

// Layer widths chain and the restrictions of the header hold.
void check_stack(const std::vector<StackedRecurrentLayer>& layers, std::int64_t input_features,
                 const std::string& op) {
  check(!layers.empty(), op, "expected at least one layer");
  std::int64_t features = input_features;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const StackedRecurrentLayer& layer = layers[l];
    check(layer.weights.kernel.defined() && layer.weights.kernel.rank() == 2 &&
              layer.weights.recurrent_kernel.defined() &&
              layer.weights.recurrent_kernel.rank() == 2,
          op, "layer ", l, ": expected a kernel [features, G*units] and a recurrent_kernel");
    check(layer.weights.kernel.dim(0) == features, op, "layer ", l, " (",
          recurrent_cell_name(layer.spec.cell), ") expects ", layer.weights.kernel.dim(0),
          " input features, but ",
          l == 0 ? std::string("the inputs have ") : "layer " + std::to_string(l - 1) + " gives ",
          features);
    check(l == 0 || !layer.spec.go_backwards, op, "layer ", l,
          " has go_backwards: only the first layer of a stack may run backwards");
    check(l + 1 == layers.size() || layer.spec.return_sequences, op, "layer ", l,
          " feeds another layer: expected return_sequences");
    features = layer.weights.recurrent_kernel.dim(0);
  }
}

}  // namespace

std::int64_t automatic_chunk_steps([[maybe_unused]] Device device, std::int64_t steps) {
  check(steps >= 1, "automatic_chunk_steps", "expected at least one step, got ", steps);
  // One chunk on both backends. The CPU runs each op to completion before the
  // next, so chunks cannot overlap there; on an H200 a wavefront of 8 chunks
  // ran at 0.73-0.84x the speed of the layers one by one (bench/results/h200),
  // each step's host-side launch cost (~30 us) leaving nothing to overlap.
  return steps;
}

StackedRecurrentTape stacked_recurrent_forward(const std::vector<StackedRecurrentLayer>& layers,
                                               const std::vector<RecurrentInputs>& inputs,
                                               std::int64_t chunk_steps,
                                               const std::vector<const Stream*>& streams) {
  const std::string op = "stacked recurrent forward";
  check(inputs.size() == layers.size(), op, "expected inputs for each of the ", layers.size(),
        " layers, got ", inputs.size());
  const Tensor& x = inputs.empty() ? Tensor() : inputs[0].x;
  check(x.defined() && x.rank() == 3 && x.dim(1) >= 1, op,
        "expected inputs[0].x [batch, steps, features] with at least one step, got ", x);
  check_stack(layers, x.dim(2), op);
  const std::int64_t batch = x.dim(0), steps = x.dim(1);
  for (std::size_t l = 0; l < layers.size(); ++l) {
    check(l == 0 || !inputs[l].x.defined(), op, "inputs[", l, "].x must be undefined: layer ", l,
          " reads layer ", l - 1, "'s output");
    const Tensor& mask = inputs[l].step_mask;
    check(!mask.defined() || mask.shape() == Shape{batch, steps}, op, "layer ", l,
          ": expected a mask [", batch, ", ", steps, "], got ", mask);
  }
  check_streams(streams, layers.size(), x.device(), op);
  const auto count = static_cast<std::int64_t>(layers.size());
  StackedRecurrentTape tape;
  tape.chunk_steps = resolve_chunk_steps(chunk_steps, steps, x.device(), op);
  const Schedule schedule(steps, tape.chunk_steps, count, streams, x.device());
  tape.chunks.assign(layers.size(),
                     std::vector<RecurrentTape>(static_cast<std::size_t>(schedule.chunks())));
  const StackedRecurrentLayer& last = layers.back();
  const bool assemble = last.spec.return_sequences && schedule.chunks() > 1;
  if (assemble) {
    tape.output = Tensor::empty(Shape{batch, steps, last.weights.recurrent_kernel.dim(0)},
                                x.dtype(), x.device());
  }
  // Diagonal d holds (layer l, chunk d - l). Higher layers first, so that
  // layer l's wait on layer l-1 covers exactly chunk c of it, not c + 1.
  for (std::int64_t d = 0; d < schedule.diagonals(); ++d) {
    for (std::int64_t l = std::min(count - 1, d); l >= 0 && d - l < schedule.chunks(); --l) {
      const std::int64_t c = d - l;
      const auto layer = static_cast<std::size_t>(l), chunk = static_cast<std::size_t>(c);
      const auto guard = schedule.enter(l, l - 1);
      const std::int64_t length = schedule.length(c);
      const std::int64_t time = schedule.time_begin(c, layers[layer].spec.go_backwards);
      RecurrentInputs in = inputs[layer];
      in.x = l == 0 ? block_of(x, time, length) : tape.chunks[layer - 1][chunk].output;
      in.step_mask = block_of(in.step_mask, time, length);
      if (c > 0) {
        const RecurrentTape& previous = tape.chunks[layer][chunk - 1];
        in.initial_h = previous.final_h;
        in.initial_c = previous.final_c;
      }
      RecurrentTape& result = tape.chunks[layer][chunk];
      result = recurrent_forward(layers[layer].spec, layers[layer].weights, in);
      if (l + 1 == count && assemble) {
        copy_time_block(result.output, 0, tape.output, schedule.begin(c), length);
      }
    }
  }
  schedule.join();
  if (!assemble) tape.output = tape.chunks.back().back().output;
  return tape;
}

StackedRecurrentGradients stacked_recurrent_backward(
    const std::vector<StackedRecurrentLayer>& layers, const StackedRecurrentTape& tape,
    const Tensor& d_output, const std::vector<Tensor>& d_final_h,
    const std::vector<Tensor>& d_final_c, std::vector<RecurrentWeights>& weight_grads,
    const std::vector<const Stream*>& streams,
    const std::function<void(std::size_t layer)>& layer_done) {
  const std::string op = "stacked recurrent backward";
  check(!layers.empty() && tape.chunks.size() == layers.size() && !tape.chunks[0].empty() &&
            tape.chunk_steps >= 1,
        op, "expected the tape of a stacked forward of ", layers.size(), " layers");
  const RecurrentTape& first = tape.chunks[0][0];
  const Device device = first.states.device();
  check_stack(layers, first.inputs.dim(1), op);
  check(d_final_h.empty() || d_final_h.size() == layers.size(), op,
        "expected state gradients h for each of the ", layers.size(), " layers or none, got ",
        d_final_h.size());
  check(d_final_c.empty() || d_final_c.size() == layers.size(), op,
        "expected state gradients c for each of the ", layers.size(), " layers or none, got ",
        d_final_c.size());
  check(weight_grads.size() == layers.size(), op, "expected weight gradients for each of the ",
        layers.size(), " layers, got ", weight_grads.size());
  check_streams(streams, layers.size(), device, op);
  const std::int64_t batch = first.states.dim(1);
  std::int64_t steps = 0;
  for (const RecurrentTape& chunk : tape.chunks[0]) steps += chunk.states.dim(0) - 1;
  const std::int64_t units = layers.back().weights.recurrent_kernel.dim(0);
  const Shape output_shape =
      layers.back().spec.return_sequences ? Shape{batch, steps, units} : Shape{batch, units};
  check(!d_output.defined() || d_output.shape() == output_shape, op, "expected an output gradient ",
        output_shape, ", got ", d_output);
  const auto count = static_cast<std::int64_t>(layers.size());
  const Schedule schedule(steps, tape.chunk_steps, count, streams, device);
  for (const std::vector<RecurrentTape>& chunks : tape.chunks) {
    check(schedule.chunks() == static_cast<std::int64_t>(chunks.size()), op, "expected ",
          schedule.chunks(), " chunks of ", tape.chunk_steps, " steps in every layer's tape, got ",
          chunks.size());
  }

  StackedRecurrentGradients result;
  // The gradients flowing into each layer's states: of its final states, then
  // chunk by chunk of the next chunk's initial ones.
  result.d_initial_h = d_final_h.empty() ? std::vector<Tensor>(layers.size()) : d_final_h;
  result.d_initial_c = d_final_c.empty() ? std::vector<Tensor>(layers.size()) : d_final_c;
  // dL/d(chunk input) of each layer above the first, kept until the end: the
  // layer below reads them on its own stream.
  std::vector<std::vector<Tensor>> d_inputs(layers.size(),
                                            std::vector<Tensor>(tape.chunks[0].size()));
  const bool assemble = schedule.chunks() > 1;
  if (assemble) {
    result.d_x =
        Tensor::empty(Shape{batch, steps, first.inputs.dim(1)}, first.states.dtype(), device);
  }
  const bool sequence = layers.back().spec.return_sequences;
  // Mirror of the forward: diagonal e holds (layer l, chunk C-1-(e-(L-1-l))).
  // Lower layers first, so that layer l's wait on layer l+1 covers exactly
  // chunk c of it, not c - 1.
  for (std::int64_t e = 0; e < schedule.diagonals(); ++e) {
    for (std::int64_t l = std::max<std::int64_t>(0, count - 1 - e); l < count; ++l) {
      const std::int64_t c = schedule.chunks() - 1 - (e - (count - 1 - l));
      if (c < 0) continue;
      const auto layer = static_cast<std::size_t>(l), chunk = static_cast<std::size_t>(c);
      {
        const auto guard = schedule.enter(l, l + 1);
        const std::int64_t length = schedule.length(c);
        Tensor d_chunk_output;
        if (l + 1 < count) {
          d_chunk_output = d_inputs[layer + 1][chunk];
        } else if (sequence) {
          d_chunk_output = block_of(d_output, schedule.begin(c), length);
        } else if (c + 1 == schedule.chunks()) {
          d_chunk_output = d_output;
        }
        const RecurrentInputGradients g = recurrent_backward(
            layers[layer].spec, layers[layer].weights, tape.chunks[layer][chunk], d_chunk_output,
            result.d_initial_h[layer], result.d_initial_c[layer], weight_grads[layer]);
        result.d_initial_h[layer] = g.d_initial_h;
        result.d_initial_c[layer] = g.d_initial_c;
        if (l > 0) {
          d_inputs[layer][chunk] = g.d_x;
        } else if (assemble) {
          copy_time_block(g.d_x, 0, result.d_x, schedule.time_begin(c, layers[0].spec.go_backwards),
                          length);
        } else {
          result.d_x = g.d_x;
        }
      }
      // Chunk 0 is the layer's last: its gradients are all queued.
      if (c == 0 && layer_done) {
        schedule.join_layer(l);
        layer_done(layer);
      }
    }
  }
  schedule.join();
  return result;
}

}  // namespace cuseq::ops
