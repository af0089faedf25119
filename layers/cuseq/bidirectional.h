// Keras' Bidirectional wrapper: a recurrent layer run forward and a copy run
// backward over the same input, merged (concat, sum, mul or ave). With
// return_sequences the backward direction's outputs are put back in time
// order before the merge, as Keras does. Weights in Keras' order: the forward
// layer's, then the backward layer's. On the GPU the two directions run
// concurrently, the backward one on a stream of its own.
#pragma once

#include <memory>
#include <string>

#include "cuseq/bidirectional_ops.h"
#include "cuseq/layer.h"
#include "cuseq/recurrent.h"
#include "cuseq/stream.h"

namespace cuseq {

// Bidirectional's keyword arguments, with Keras' names and defaults.
struct BidirectionalOptions {
  std::string merge_mode = "concat";  // "concat", "sum", "mul" or "ave"
  // Null for a copy of the wrapped layer's config with go_backwards flipped
  // (Keras' default); else it must run the other way and agree on
  // return_sequences, return_state and stateful.
  std::unique_ptr<Recurrent> backward_layer;
  std::string name;  // "" = a unique default ("bidirectional", ...)
};

class CUSEQ_API Bidirectional : public Layer {
 public:
  explicit Bidirectional(std::unique_ptr<Recurrent> layer, BidirectionalOptions options = {});
  // The short form Bidirectional(std::make_unique<LSTM>(32), "sum").
  Bidirectional(std::unique_ptr<Recurrent> layer, const std::string& merge_mode);
  ~Bidirectional() override;

  std::string type() const override { return "Bidirectional"; }
  // merge_mode, "layer" (the inner type) and its config under "layer.<key>";
  // an explicit backward layer likewise under "backward_layer".
  LayerConfig config() const override;
  Shape output_shape(const Shape& input_shape) const override;
  Tensor forward(const Tensor& input, const ForwardContext& context) override;
  Tensor backward(const Tensor& grad_output) override;
  // The mask goes on with return_sequences, else it is consumed (as in Keras).
  Tensor output_mask(const Tensor& input, const Tensor& mask) const override;

  MergeMode merge_mode() const { return merge_mode_; }
  Recurrent& forward_layer() { return *forward_; }
  Recurrent& backward_layer() { return *backward_; }
  const Recurrent& forward_layer() const { return *forward_; }
  const Recurrent& backward_layer() const { return *backward_; }

 protected:
  void build_weights(const Shape& input_shape, Generator& generator) override;

 private:
  // The backward direction's stream on the layer's device, made on first use
  // (a no-op stand-in on the CPU).
  Stream& side_stream();

  std::unique_ptr<Recurrent> forward_;
  std::unique_ptr<Recurrent> backward_;
  bool explicit_backward_;
  MergeMode merge_mode_;
  std::unique_ptr<Stream> side_;
  Tensor forward_output_, backward_output_;
};

}  // namespace cuseq
