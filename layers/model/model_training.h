// The pieces of a training or evaluation step that fit(), evaluate() and
// predict() share: batching rows on the host, the forward pass with masks and
// activity regularization, the backward pass, and the weight penalties.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "cuseq/recurrent_stack.h"
#include "cuseq/sequential.h"

namespace cuseq {

class ModelTraining {
 public:
  explicit ModelTraining(Sequential& model) : model_(model) {}

  // Builds the model for inputs like x (rows dropped) unless it is built.
  void build_for(const Tensor& x);
  // Inputs on the host; throws naming the row of a NaN or Inf.
  Tensor prepare_inputs(const Tensor& x) const;
  // Targets as the loss wants them, on the host: int32 ids for the sparse
  // loss, the model's float dtype otherwise. Throws naming the row of a
  // target that is NaN or Inf, that is no class id (sparse loss) or that lies
  // outside [0, 1] (binary cross-entropy).
  Tensor prepare_targets(const Tensor& y) const;

  // Runs every layer; masks flow through ForwardContext. Adds the activity
  // penalties (divided by the batch size, as Keras) to *activity_penalty.
  Tensor forward(const Tensor& x, bool training, double* activity_penalty);
  // grad: dL/d(model output). Adds activity-regularizer gradients on the way down.
  void backward(Tensor grad);
  // Sum of every parameter's weight penalty (frozen layers count, as in Keras).
  double weight_penalty() const;
  // grad += d(penalty)/dw for the parameters the optimizer updates.
  void add_weight_penalty_grads() const;
  bool has_regularizers() const;

  // One training step on a batch; returns (data loss, regularization loss)
  // and adds the batch to each metric. sample_weights: undefined, or one
  // float64 weight per sample (on the host), applied to the loss (Keras'
  // sample_weight; the metrics stay unweighted, as Keras' `metrics`).
  std::pair<double, double> train_step(const Tensor& x, const Tensor& y,
                                       const Tensor& sample_weights,
                                       std::vector<MetricAccumulator>& metrics);
  // Loss (with penalties) and metrics over all rows, batched.
  EpochLogs evaluate(const Tensor& x_host, const Tensor& y_host, int batch_size);
  // Fresh accumulators for the model's metrics.
  std::vector<MetricAccumulator> metric_accumulators() const;

 private:
  // Layers [begin, end): one layer, or a run of recurrent layers as one stack.
  struct Run {
    std::size_t begin, end;
    std::unique_ptr<RecurrentStack> stack;
  };
  // The model's layers cut into runs (Sequential::stack_recurrent_layers).
  const std::vector<Run>& runs();

  Sequential& model_;
  std::vector<Run> runs_;
  std::vector<Tensor> outputs_;  // of each run's last layer in the last training forward
};

// Rows [begin, end) moved to `device` (a view when already there).
Tensor rows_on(const Tensor& host, std::int64_t begin, std::int64_t end, Device device);

}  // namespace cuseq
