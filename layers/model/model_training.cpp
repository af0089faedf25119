#include "layers/model/model_training.h"

#include <cmath>
#include <cstring>

#include "cuseq/regularizers.h"

namespace cuseq {

Tensor rows_on(const Tensor& host, std::int64_t begin, std::int64_t end, Device device) {
  return host.slice(begin, end).to(device);
}

void ModelTraining::build_for(const Tensor& x) {
  if (model_.built()) return;
  check(x.rank() >= 1, model_.name(), "expected inputs with a batch axis, got ", x);
  const std::vector<std::int64_t> dims(x.shape().dims().begin() + 1, x.shape().dims().end());
  const bool floating = x.dtype() == DType::float32 || x.dtype() == DType::float64;
  model_.build(Shape(dims), floating ? x.dtype() : DType::float32, default_device());
}

namespace {

// The values of a host tensor of any dtype, as doubles.
std::vector<double> values_of(const Tensor& host, const std::string& model) {
  switch (host.dtype()) {
    case DType::int32: {
      const auto ids = host.to_vector<std::int32_t>();
      return std::vector<double>(ids.begin(), ids.end());
    }
    case DType::float32: {
      const auto values = host.to_vector<float>();
      return std::vector<double>(values.begin(), values.end());
    }
    case DType::float64:
      return host.to_vector<double>();
    default:
      fail(model, "unsupported data dtype ", host.str());
  }
}

// Throws naming `what`, the value and its row at the first value that `bad` flags.
template <class Bad>
void check_each(const std::vector<double>& values, const Tensor& host, const std::string& model,
                const std::string& what, const std::string& expected, Bad bad) {
  const std::int64_t row_size =
      host.rank() == 0 || host.dim(0) == 0 ? 1 : host.numel() / host.dim(0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (bad(values[i])) {
      fail(model, expected, "; ", what, " holds ", values[i], " at row ",
           static_cast<std::int64_t>(i) / row_size, " (", what, " is ", host.str(), ")");
    }
  }
}

bool non_finite(double value) { return !std::isfinite(value); }

}  // namespace

Tensor ModelTraining::prepare_inputs(const Tensor& x) const {
  Tensor host = x.to(Device::cpu());
  if (host.dtype() == DType::float32 || host.dtype() == DType::float64) {
    // NaN or Inf in the inputs would train every weight to NaN without a word.
    check_each(values_of(host, model_.name()), host, model_.name(), "x", "inputs must be finite",
               non_finite);
  }
  return host;
}

Tensor ModelTraining::prepare_targets(const Tensor& y) const {
  const Tensor host = y.to(Device::cpu());
  const std::string& model = model_.name();
  const std::vector<double> values = values_of(host, model);
  check_each(values, host, model, "y", "targets must be finite", non_finite);
  const LossKind loss = model_.loss().kind;
  if (loss == LossKind::sparse_categorical_crossentropy) {
    // Keras would truncate 1.5 to class 1: a label that is no class id is an error here.
    check_each(values, host, model, "y", "sparse_categorical_crossentropy needs integer class ids",
               [](double v) { return std::floor(v) != v || std::fabs(v) >= 2147483648.0; });
  } else if (loss == LossKind::binary_crossentropy) {
    check_each(values, host, model, "y", "binary_crossentropy needs targets in [0, 1]",
               [](double v) { return v < 0.0 || v > 1.0; });
  }
  const bool sparse = loss == LossKind::sparse_categorical_crossentropy;
  const DType wanted = sparse ? DType::int32 : model_.dtype();
  if (host.dtype() == wanted) return host;
  // Keras casts labels; whole-number floats become ids, ids become floats.
  if (wanted == DType::int32) {
    return Tensor::from_vector<std::int32_t>(
        std::vector<std::int32_t>(values.begin(), values.end()), host.shape());
  }
  if (wanted == DType::float32) {
    return Tensor::from_vector<float>(std::vector<float>(values.begin(), values.end()),
                                      host.shape());
  }
  return Tensor::from_vector<double>(values, host.shape());
}

const std::vector<ModelTraining::Run>& ModelTraining::runs() {
  if (!runs_.empty()) return runs_;
  const auto& layers = model_.layers_;
  for (std::size_t begin = 0; begin < layers.size();) {
    const std::vector<Recurrent*> stack = model_.stack_recurrent_layers
                                              ? RecurrentStack::longest_run(layers, begin)
                                              : std::vector<Recurrent*>{};
    if (stack.size() >= 2) {
      const std::size_t end = begin + stack.size();
      runs_.push_back(
          {begin, end, std::make_unique<RecurrentStack>(stack, model_.recurrent_chunk_steps)});
      begin = end;
    } else {
      runs_.push_back({begin, begin + 1, nullptr});
      ++begin;
    }
  }
  return runs_;
}

Tensor ModelTraining::forward(const Tensor& x, bool training, double* activity_penalty) {
  ForwardContext context;
  context.training = training;
  Tensor current = x;
  outputs_.clear();
  for (const Run& run : runs()) {
    Layer& last = *model_.layers_[run.end - 1];
    // Inside a stack every layer has return_sequences, so the mask reaches
    // the last one unchanged.
    Tensor output =
        run.stack ? run.stack->forward(current, context).output : last.forward(current, context);
    context.mask = last.output_mask(current, context.mask);
    if (last.activity_regularizer.active() && activity_penalty) {
      *activity_penalty += ops::regularization_penalty(output, last.activity_regularizer).item() /
                           static_cast<double>(output.dim(0));
    }
    if (training) outputs_.push_back(output);
    current = output;
  }
  return current;
}

void ModelTraining::backward(Tensor grad) {
  const std::vector<Run>& all = runs();
  for (std::size_t r = all.size(); r-- > 0;) {
    const Run& run = all[r];
    Layer& last = *model_.layers_[run.end - 1];
    if (last.activity_regularizer.active()) {
      const Tensor& output = outputs_[r];
      const double batch = static_cast<double>(output.dim(0));
      ops::add_regularization_grad(output, last.activity_regularizer.l1 / batch,
                                   last.activity_regularizer.l2 / batch, grad);
    }
    grad = run.stack ? run.stack->backward(grad).input : last.backward(grad);
  }
}

double ModelTraining::weight_penalty() const {
  double total = 0;
  for (const auto& layer : model_.layers_) {
    for (const Parameter* parameter : std::as_const(*layer).parameters()) {
      if (parameter->regularizer.active()) {
        total += ops::regularization_penalty(parameter->value, parameter->regularizer).item();
      }
    }
  }
  return total;
}

void ModelTraining::add_weight_penalty_grads() const {
  for (Parameter* parameter : model_.trainable_parameters()) {
    if (parameter->regularizer.active()) {
      ops::add_regularization_grad(parameter->value, parameter->regularizer, parameter->grad);
    }
  }
}

bool ModelTraining::has_regularizers() const {
  for (const auto& layer : model_.layers_) {
    if (layer->activity_regularizer.active()) return true;
    for (const Parameter* parameter : std::as_const(*layer).parameters()) {
      if (parameter->regularizer.active()) return true;
    }
  }
  return false;
}

std::vector<MetricAccumulator> ModelTraining::metric_accumulators() const {
  return {model_.metrics_.begin(), model_.metrics_.end()};
}

namespace {

// One weight per row of the predictions (a sample's weight repeated over its
// steps for sequence outputs), in their dtype and on their device.
Tensor row_weights_for(const Tensor& predictions, const Tensor& sample_weights) {
  const std::vector<double> per_sample = sample_weights.to_vector<double>();
  const std::int64_t rows = predictions.numel() / predictions.dim(-1);
  const std::int64_t per = rows / static_cast<std::int64_t>(per_sample.size());
  std::vector<double> weights;
  weights.reserve(static_cast<std::size_t>(rows));
  for (const double weight : per_sample) weights.insert(weights.end(), per, weight);
  const Tensor host =
      predictions.dtype() == DType::float64
          ? Tensor::from_vector(weights, Shape{rows})
          : Tensor::from_vector(std::vector<float>(weights.begin(), weights.end()), Shape{rows});
  return host.to(predictions.device());
}

}  // namespace

std::pair<double, double> ModelTraining::train_step(const Tensor& x, const Tensor& y,
                                                    const Tensor& sample_weights,
                                                    std::vector<MetricAccumulator>& metrics) {
  for (const auto& layer : model_.layers_) layer->zero_grad();
  double penalty = 0;
  const Tensor predictions = forward(x, true, &penalty);
  Tensor grad = Tensor::empty(predictions.shape(), predictions.dtype(), predictions.device());
  const double data_loss =
      sample_weights.defined()
          ? compute_weighted_loss(model_.loss_, predictions, y,
                                  row_weights_for(predictions, sample_weights), grad)
          : compute_loss(model_.loss_, predictions, y, grad);
  for (MetricAccumulator& metric : metrics) metric.update(predictions, y);
  backward(grad);
  outputs_.clear();
  penalty += weight_penalty();
  add_weight_penalty_grads();
  model_.optimizer_->apply(model_.trainable_parameters());
  return {data_loss, penalty};
}

EpochLogs ModelTraining::evaluate(const Tensor& x_host, const Tensor& y_host, int batch_size) {
  check(batch_size > 0, model_.name(), "expected batch_size > 0, got ", batch_size);
  const std::int64_t rows = x_host.dim(0);
  check(y_host.dim(0) == rows, model_.name(), "x has ", rows, " rows but y has ", y_host.dim(0));
  // Keras reports no loss for no data; 0 would read as a perfect model.
  check(rows > 0, model_.name(), "evaluate() has no rows to evaluate (x ", x_host, ")");
  double loss_sum = 0;
  std::vector<MetricAccumulator> metrics = metric_accumulators();
  for (std::int64_t begin = 0; begin < rows; begin += batch_size) {
    const std::int64_t end = std::min<std::int64_t>(rows, begin + batch_size);
    double penalty = 0;
    const Tensor predictions =
        forward(rows_on(x_host, begin, end, model_.device()), false, &penalty);
    const Tensor y = rows_on(y_host, begin, end, model_.device());
    loss_sum +=
        static_cast<double>(end - begin) * (compute_loss(model_.loss_, predictions, y) + penalty);
    for (MetricAccumulator& metric : metrics) metric.update(predictions, y);
  }
  const double count = rows == 0 ? 1.0 : static_cast<double>(rows);
  EpochLogs logs{{"loss", loss_sum / count + weight_penalty()}};
  for (const MetricAccumulator& metric : metrics)
    logs.emplace_back(metric.metric().name, metric.result());
  return logs;
}

}  // namespace cuseq
