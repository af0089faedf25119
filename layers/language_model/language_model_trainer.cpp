// LanguageModelTrainer: the truncated-BPTT training step, validation and the
// fit() loop with progress, logs and checkpoints.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>

#include "cuseq/language_model.h"
#include "cuseq/losses.h"
#include "cuseq/ops.h"
#include "layers/model/progress_bar.h"

namespace cuseq {
namespace {

constexpr const char* kWhere = "LanguageModelTrainer";
const Loss kLoss{LossKind::sparse_categorical_crossentropy, true};

std::unique_ptr<Optimizer> make_optimizer(const LanguageModelTrainOptions& options) {
  std::unique_ptr<Optimizer> optimizer;
  if (options.optimizer == "adam") {
    optimizer = std::make_unique<Adam>(options.learning_rate);
  } else if (options.optimizer == "sgd") {
    optimizer = std::make_unique<SGD>(options.learning_rate);
  } else {
    fail(kWhere, "unknown optimizer \"", options.optimizer, "\"; expected adam or sgd");
  }
  optimizer->clipping.clipnorm = options.clipnorm;
  return optimizer;
}

// Scales every gradient by min(1, clip / ||all gradients||) (TensorFlow's clip_by_global_norm).
void clip_by_global_norm(const std::vector<Parameter*>& parameters, double clip) {
  double squares = 0.0;
  for (const Parameter* parameter : parameters) {
    squares += ops::clipped_squared_norm(parameter->grad, 0.0).item();
  }
  const double norm = std::sqrt(squares);
  if (norm <= clip) return;
  for (Parameter* parameter : parameters) {
    ops::axpby(clip / norm, parameter->grad, 0.0, parameter->grad, parameter->grad);
  }
}

// The grads of a layer's parameters, none for a frozen layer (as Sequential::trainable_parameters).
std::vector<Tensor*> trainable_gradients_of(Layer& layer) {
  std::vector<Tensor*> grads;
  if (!layer.trainable) return grads;
  for (Parameter* parameter : layer.parameters()) grads.push_back(&parameter->grad);
  return grads;
}

// "lstm_0/kernel" for the first weight holding NaN or Inf, or "" when all are finite.
std::string first_non_finite_weight(const Sequential& model) {
  for (std::size_t i = 0; i < model.size(); ++i) {
    for (const Parameter* parameter : model.layer(i).parameters()) {
      const Tensor host = parameter->value.to(Device::cpu());
      bool finite = true;
      if (host.dtype() == DType::float64) {
        for (const double v : host.to_vector<double>()) finite = finite && std::isfinite(v);
      } else {
        for (const float v : host.to_vector<float>()) finite = finite && std::isfinite(v);
      }
      if (!finite) return model.layer(i).name() + "/" + parameter->name;
    }
  }
  return "";
}

bool finite_and_positive(double value) { return std::isfinite(value) && value > 0; }
bool finite_and_non_negative(double value) { return std::isfinite(value) && value >= 0; }

void check_options(const LanguageModelTrainOptions& options) {
  check(finite_and_positive(options.learning_rate), kWhere,
        "the learning rate must be a positive number, got ", options.learning_rate);
  check(options.epochs >= 0 && options.max_steps >= 0, kWhere,
        "epochs and max_steps must not be negative, got ", options.epochs, " and ",
        options.max_steps);
  check(options.epochs > 0 || options.max_steps > 0, kWhere,
        "epochs or max_steps must be positive");
  check(
      finite_and_non_negative(options.clipnorm) && finite_and_non_negative(options.global_clipnorm),
      kWhere, "clipnorm and global_clipnorm must be numbers >= 0, got ", options.clipnorm, " and ",
      options.global_clipnorm);
  check(options.log_every >= 0 && options.checkpoint_every >= 0, kWhere,
        "log_every and checkpoint_every must not be negative, got ", options.log_every, " and ",
        options.checkpoint_every);
}

// Nats per token as bits per character (char and byte corpora) or perplexity (words).
std::pair<std::string, double> quality(TokenUnit unit, double nats) {
  if (unit == TokenUnit::word) return {"perplexity", std::exp(nats)};
  return {"bpc", nats / std::log(2.0)};
}

}  // namespace

LanguageModelTrainer::LanguageModelTrainer(LanguageModel& model, const TokenFile& train,
                                           const LanguageModelTrainOptions& options,
                                           Communicator* communicator, const TokenFile* validation)
    : model_(model),
      train_(train),
      validation_(validation),
      options_(options),
      own_communicator_(communicator ? nullptr : make_single_process_communicator()),
      communicator_(communicator ? communicator : own_communicator_.get()),
      batcher_(train, options.batch_size, options.steps_per_window, communicator_->rank(),
               communicator_->size(), model.device()),
      optimizer_(make_optimizer(options)) {
  check(static_cast<std::int64_t>(train.vocab_size()) <= model.config().vocab_size, kWhere, "\"",
        train.path(), "\" has a vocabulary of ", train.vocab_size(), ", the model only ",
        model.config().vocab_size);
  check_options(options);
}

LanguageModelTrainer::~LanguageModelTrainer() = default;

std::int64_t LanguageModelTrainer::total_steps() const {
  return options_.max_steps > 0 ? options_.max_steps
                                : options_.epochs * batcher_.windows_per_epoch();
}

double LanguageModelTrainer::train_step() {
  const BpttBatch batch = batcher_.next();
  if (batch.starts_epoch()) states_.clear();
  Sequential& layers = model_.model();
  for (std::size_t i = 0; i < layers.size(); ++i) layers.layer(i).zero_grad();

  // Gradients are averaged over the processes bucket by bucket while the
  // backward pass goes on: a layer's grads are final once its backward returns.
  std::vector<Tensor*> backward_order;
  for (std::size_t i = layers.size(); i-- > 0;) {
    const std::vector<Tensor*> grads = trainable_gradients_of(layers.layer(i));
    backward_order.insert(backward_order.end(), grads.begin(), grads.end());
  }
  // The loss rides in the last bucket with the gradients: one reduction per bucket.
  Tensor loss_value;
  backward_order.push_back(&loss_value);

  double loss = 0.0;
  {
    const GemmPrecisionGuard precision(options_.gemm_precision);
    const Tensor logits = model_.forward(batch.inputs, true, states_);
    Tensor grad = Tensor::empty(logits.shape(), logits.dtype(), logits.device());
    loss = compute_loss(kLoss, logits, batch.targets, grad);
    loss_value = Tensor::from_vector(std::vector<float>{static_cast<float>(loss)}, Shape{1},
                                     model_.device());
    GradientReducer reducer(*communicator_, backward_order);
    reducer.mark_ready({&loss_value});
    model_.backward(grad, [&](Layer& layer) { reducer.mark_ready(trainable_gradients_of(layer)); });
    reducer.wait_all();
  }
  if (communicator_->size() > 1) loss = loss_value.item();
  // The carried states are values, not part of the next window's graph.
  for (auto& layer_states : states_) {
    for (Tensor& state : layer_states) state = state.clone();
  }

  const std::vector<Parameter*> parameters = layers.trainable_parameters();
  if (options_.global_clipnorm > 0) clip_by_global_norm(parameters, options_.global_clipnorm);
  optimizer_->learning_rate =
      learning_rate_at(options_.schedule, options_.learning_rate, step_, total_steps());
  optimizer_->apply(parameters);
  ++step_;
  return loss;
}

double LanguageModelTrainer::evaluate(const TokenFile& file) {
  const std::int64_t ranks = communicator_->size();
  const std::int64_t steps = options_.steps_per_window;
  // As many streams as the training batch, fewer for a short file.
  std::int64_t streams = std::min<std::int64_t>(
      options_.batch_size, static_cast<std::int64_t>(file.count()) / (steps + 1));
  streams -= streams % ranks;
  check(streams > 0, kWhere, "\"", file.path(), "\" holds ", file.count(),
        " tokens: too few to evaluate windows of ", steps, " steps on ", ranks, " processes");
  BpttBatcher batcher(file, streams, steps, communicator_->rank(), static_cast<int>(ranks),
                      model_.device());
  RecurrentStates states;
  double sum = 0.0;
  const GemmPrecisionGuard precision(options_.gemm_precision);  // validate as trained
  for (std::int64_t w = 0; w < batcher.windows_per_epoch(); ++w) {
    const BpttBatch batch = batcher.next();
    sum += compute_loss(kLoss, model_.forward(batch.inputs, false, states), batch.targets);
  }
  Tensor mean = Tensor::from_vector(
      std::vector<double>{sum / static_cast<double>(batcher.windows_per_epoch())}, Shape{1});
  communicator_->all_reduce_mean({&mean});
  return mean.item();
}

EpochLogs LanguageModelTrainer::period_logs(double train_loss_sum, std::int64_t steps) {
  const double loss = train_loss_sum / static_cast<double>(steps);
  const auto train_quality = quality(train_.unit(), loss);
  EpochLogs logs = {{"loss", loss}, train_quality};
  if (validation_) {
    const double val_loss = evaluate(*validation_);
    const auto val_quality = quality(validation_->unit(), val_loss);
    logs.emplace_back("val_loss", val_loss);
    logs.emplace_back("val_" + val_quality.first, val_quality.second);
  }
  return logs;
}

void LanguageModelTrainer::write_logs() const {
  if (communicator_->rank() != 0) return;
  if (!options_.log_csv.empty()) history_.to_csv(options_.log_csv);
  if (!options_.plot_svg.empty()) history_.plot_svg(options_.plot_svg);
}

History LanguageModelTrainer::fit() {
  using Clock = std::chrono::steady_clock;
  std::ostream& out = options_.output ? *options_.output : std::cout;
  detail::ProgressBar bar(out, detail::is_terminal(out),
                          communicator_->rank() == 0 ? options_.verbose : 0);
  const std::int64_t total = total_steps();
  const std::int64_t windows = batcher_.windows_per_epoch();
  // A period ends with an epoch, every log_every updates, and at the last update.
  auto period_from = [&](std::int64_t step, std::int64_t window) {
    std::int64_t length = std::min(windows - window, total - step);
    if (options_.log_every > 0)
      length = std::min(length, options_.log_every - step % options_.log_every);
    return length;
  };
  auto periods_left = [&] {
    std::int64_t count = 0;
    for (std::int64_t step = step_, window = batcher_.position().window; step < total; ++count) {
      const std::int64_t length = period_from(step, window);
      step += length;
      window = (window + length) % windows;
    }
    return count;
  };
  const double tokens_per_step =
      static_cast<double>(options_.batch_size * options_.steps_per_window);

  while (step_ < total) {
    const std::int64_t length = period_from(step_, batcher_.position().window);
    const int index = history_.epochs();
    bar.begin_epoch(index, index + static_cast<int>(periods_left()), length);
    const auto start = Clock::now();
    double loss_sum = 0.0;
    double tokens_per_second = 0.0;
    for (std::int64_t i = 1; i <= length; ++i) {
      const double loss = train_step();
      check(!options_.terminate_on_nan || std::isfinite(loss), kWhere, "the training loss is ",
            loss, " at step ", step_, "; training stopped (terminate_on_nan) and ",
            kept_checkpoint());
      loss_sum += loss;
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      tokens_per_second = tokens_per_step * static_cast<double>(i) / std::max(seconds, 1e-9);
      bar.update(i, {{"loss", loss_sum / static_cast<double>(i)}, {"tokens/s", tokens_per_second}});
      if (!options_.checkpoint_path.empty() && options_.checkpoint_every > 0 &&
          step_ % options_.checkpoint_every == 0) {
        save_good_checkpoint();
      }
    }
    EpochLogs logs = period_logs(loss_sum, length);
    history_.append(logs);
    logs.emplace_back("tokens/s", tokens_per_second);
    bar.end_epoch(logs);
    write_logs();
    if (!options_.checkpoint_path.empty()) save_good_checkpoint();
  }
  return history_;
}

std::string LanguageModelTrainer::kept_checkpoint() const {
  if (options_.checkpoint_path.empty()) return "no checkpoint was asked for";
  if (checkpoint_step_ < 0) return "no checkpoint \"" + options_.checkpoint_path + "\" was written";
  return "the checkpoint \"" + options_.checkpoint_path + "\" of step " +
         std::to_string(checkpoint_step_) + " is kept";
}

void LanguageModelTrainer::save_good_checkpoint() {
  if (options_.terminate_on_nan) {
    const std::string bad = first_non_finite_weight(model_.model());
    check(bad.empty(), kWhere, "weight ", bad, " holds non-finite values (NaN or Inf) after step ",
          step_, "; training stopped (terminate_on_nan) and ", kept_checkpoint());
  }
  save_checkpoint(options_.checkpoint_path);
}

}  // namespace cuseq
