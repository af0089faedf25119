#include "cuseq/recurrent_stack.h"

#include <algorithm>
#include <string>

#include "cuseq/stacked_recurrent_ops.h"
#include "layers/detail/build_on_first_call.h"

namespace cuseq {
namespace {

constexpr const char* kWhere = "RecurrentStack";

// Layer l's entry of a per-layer list that may be empty.
const std::vector<Tensor>& entry(const std::vector<std::vector<Tensor>>& lists, std::size_t l) {
  static const std::vector<Tensor> none;
  return lists.empty() ? none : lists[l];
}

}  // namespace

RecurrentStack::RecurrentStack(std::vector<Recurrent*> layers, std::int64_t chunk_steps)
    : layers_(std::move(layers)), chunk_steps_(chunk_steps) {
  check(!layers_.empty(), kWhere, "expected at least one recurrent layer");
  check(chunk_steps_ >= 0, kWhere, "expected chunk_steps >= 1, or 0 for automatic, got ",
        chunk_steps_);
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    check(layers_[l] != nullptr, kWhere, "layer ", l, " is null");
    if (l == 0) continue;
    check(can_follow(*layers_[l - 1], *layers_[l]), kWhere, layers_[l]->name(), " cannot follow ",
          layers_[l - 1]->name(),
          " in a stack: expected return_sequences below and no go_backwards above");
  }
}

RecurrentStack::~RecurrentStack() = default;
RecurrentStack::RecurrentStack(RecurrentStack&&) noexcept = default;
RecurrentStack& RecurrentStack::operator=(RecurrentStack&&) noexcept = default;

bool RecurrentStack::can_follow(const Recurrent& below, const Recurrent& next) {
  return below.options().return_sequences && !next.options().go_backwards;
}

std::vector<Recurrent*> RecurrentStack::longest_run(
    const std::vector<std::unique_ptr<Layer>>& layers, std::size_t begin) {
  std::vector<Recurrent*> run;
  for (std::size_t i = begin; i < layers.size(); ++i) {
    auto* recurrent = dynamic_cast<Recurrent*>(layers[i].get());
    if (!recurrent || (!run.empty() && (!can_follow(*run.back(), *recurrent) ||
                                        run.back()->activity_regularizer.active()))) {
      break;
    }
    run.push_back(recurrent);
  }
  return run;
}

std::vector<const Stream*> RecurrentStack::streams(Device device) const {
  // From the device's pool: a stack made for every predict() call makes no
  // streams. Past the pool's size layers share streams, which only serializes them.
  std::vector<const Stream*> result;
  for (std::size_t l = 0; l < layers_.size(); ++l) result.push_back(&pooled_stream(device, l));
  return result;
}

std::vector<ops::StackedRecurrentLayer> RecurrentStack::op_layers() const {
  std::vector<ops::StackedRecurrentLayer> result;
  for (const Recurrent* layer : layers_) result.push_back({layer->spec(), layer->weights()});
  return result;
}

RecurrentStackResult RecurrentStack::forward(
    const Tensor& input, const ForwardContext& context,
    const std::vector<std::vector<Tensor>>& initial_states) {
  check(input.defined() && input.rank() == 3, kWhere,
        "expected an input of shape [batch, steps, features], got ", input);
  check(initial_states.empty() || initial_states.size() == layers_.size(), kWhere,
        "expected initial states for each of the ", layers_.size(), " layers or none, got ",
        initial_states.size());
  // Build on first use, each for what the one below it outputs.
  Shape shape = input.shape();
  std::vector<ops::RecurrentInputs> inputs;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    Recurrent& layer = *layers_[l];
    if (!layer.built()) {
      layer.build(Shape{shape[1], shape[2]}, input.dtype(), input.device(),
                  detail::standalone_generator());
    }
    check_dtype(input, layer.dtype(), layer.name());
    check(layer.device() == input.device(), layer.name(), "expected inputs on ", layer.device(),
          ", got ", input);
    inputs.push_back(layer.forward_inputs(shape, context, entry(initial_states, l)));
    shape = Shape{shape[0], shape[1], layer.units()};
  }
  inputs[0].x = input;
  const std::int64_t chunk = std::min(chunk_steps_, input.dim(1));
  ops::StackedRecurrentTape tape =
      ops::stacked_recurrent_forward(op_layers(), inputs, chunk, streams(input.device()));

  RecurrentStackResult result;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const Tensor output = l + 1 == layers_.size() ? tape.output : Tensor();
    result.states.push_back(
        layers_[l]->keep_forward(std::move(tape.chunks[l]), tape.chunk_steps, output).states);
  }
  result.output = tape.output;
  return result;
}

RecurrentStackGradients RecurrentStack::backward(
    const Tensor& grad_output, const std::vector<std::vector<Tensor>>& grad_states,
    const std::function<void(Recurrent&)>& layer_done) {
  check(grad_states.empty() || grad_states.size() == layers_.size(), kWhere,
        "expected state gradients for each of the ", layers_.size(), " layers or none, got ",
        grad_states.size());
  ops::StackedRecurrentTape tape;
  std::vector<Tensor> d_final_h, d_final_c;
  std::vector<ops::RecurrentWeights> weight_grads;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    Recurrent& layer = *layers_[l];
    check(layer.built() && !layer.chunk_tapes().empty(), layer.name(),
          "backward called before forward");
    check(l == 0 || layer.chunk_steps() == tape.chunk_steps, kWhere,
          "the layers' last forwards were not one stacked forward: backward them one by one");
    tape.chunk_steps = layer.chunk_steps();
    tape.chunks.push_back(layer.chunk_tapes());
    const std::vector<Tensor>& states = entry(grad_states, l);
    check(states.size() <= 2, layer.name(), "expected at most 2 state gradients, got ",
          states.size());
    d_final_h.push_back(states.size() > 0 ? states[0] : Tensor());
    d_final_c.push_back(states.size() > 1 ? states[1] : Tensor());
    weight_grads.push_back(layer.gradient_targets());
  }
  const Device device = tape.chunks[0][0].states.device();
  const ops::StackedRecurrentGradients g =
      ops::stacked_recurrent_backward(op_layers(), tape, grad_output, d_final_h, d_final_c,
                                      weight_grads, streams(device), [&](std::size_t layer) {
                                        if (layer_done) layer_done(*layers_[layer]);
                                      });
  RecurrentStackGradients result;
  result.input = g.d_x;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    result.initial_states.push_back({g.d_initial_h[l]});
    if (g.d_initial_c[l].defined()) result.initial_states.back().push_back(g.d_initial_c[l]);
  }
  return result;
}

}  // namespace cuseq
