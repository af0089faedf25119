// Runs consecutive recurrent layers (each feeding the next) as one wavefront
// (stacked_recurrent_ops.h): each layer on its own stream, layer l on time
// chunk c while layer l-1 runs chunk c+1. Results equal running the layers
// one after the other with forward_with_state / backward_with_state.
// Sequential and LanguageModel use it for their runs of recurrent layers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "cuseq/export.h"
#include "cuseq/layer.h"
#include "cuseq/recurrent.h"
#include "cuseq/stream.h"

namespace cuseq {

struct RecurrentStackResult {
  Tensor output;                            // the last layer's
  std::vector<std::vector<Tensor>> states;  // per layer, as RecurrentResult::states
};

struct RecurrentStackGradients {
  Tensor input;
  std::vector<std::vector<Tensor>> initial_states;  // per layer, as RecurrentGradients
};

class CUSEQ_API RecurrentStack {
 public:
  // `layers` (not owned, at least one) must satisfy can_stack. chunk_steps:
  // steps a chunk, or 0 for ops::automatic_chunk_steps (the whole sequence on
  // the CPU); longer than a batch's sequence runs it as one chunk.
  explicit RecurrentStack(std::vector<Recurrent*> layers, std::int64_t chunk_steps = 0);
  ~RecurrentStack();
  RecurrentStack(RecurrentStack&&) noexcept;
  RecurrentStack& operator=(RecurrentStack&&) noexcept;

  // Whether `next` may follow `below` in a stack: below outputs sequences and
  // next does not run backwards (its first step would need below's last output).
  static bool can_follow(const Recurrent& below, const Recurrent& next);
  // The longest run of layers from layers[begin] on that can run as one stack:
  // recurrent layers, each able to follow the one below, none but the top with
  // an activity regularizer (its penalty needs the output in between). Empty
  // when layers[begin] is not a recurrent layer.
  static std::vector<Recurrent*> longest_run(const std::vector<std::unique_ptr<Layer>>& layers,
                                             std::size_t begin);

  const std::vector<Recurrent*>& layers() const { return layers_; }
  std::int64_t chunk_steps() const { return chunk_steps_; }

  // Like each layer's forward_with_state in turn, with the context's mask for
  // every layer. initial_states: per layer (each may be empty), or empty.
  RecurrentStackResult forward(const Tensor& input, const ForwardContext& context,
                               const std::vector<std::vector<Tensor>>& initial_states = {});
  // Like each layer's backward_with_state from the last down: adds the weight
  // gradients. grad_states: per layer (each empty, [dh] or [dh, dc]), or empty.
  // `layer_done` is called with each layer, last to first, once its weight
  // gradients are final (queued before anything queued after the call on the
  // caller's stream), while the layers below may still be running.
  RecurrentStackGradients backward(const Tensor& grad_output,
                                   const std::vector<std::vector<Tensor>>& grad_states = {},
                                   const std::function<void(Recurrent&)>& layer_done = nullptr);

 private:
  std::vector<const Stream*> streams(Device device) const;
  std::vector<ops::StackedRecurrentLayer> op_layers() const;

  std::vector<Recurrent*> layers_;
  std::int64_t chunk_steps_;
};

}  // namespace cuseq
