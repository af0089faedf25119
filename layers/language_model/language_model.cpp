// LanguageModel: the layer stack, its forward/backward with explicit carried
// states, and sampling.
#include "cuseq/language_model.h"

#include <algorithm>
#include <cmath>

#include "cuseq/dense.h"
#include "cuseq/embedding.h"
#include "cuseq/ops.h"

namespace cuseq {
namespace {

constexpr const char* kWhere = "LanguageModel";

// softmax(logits / temperature) drawn with one uniform; argmax at temperature 0.
std::int32_t draw(const std::vector<float>& logits, double temperature, double uniform) {
  const auto best = std::max_element(logits.begin(), logits.end());
  if (temperature <= 0.0) return static_cast<std::int32_t>(best - logits.begin());
  std::vector<double> weights(logits.size());
  double total = 0.0;
  for (std::size_t i = 0; i < logits.size(); ++i) {
    weights[i] = std::exp((static_cast<double>(logits[i]) - *best) / temperature);
    total += weights[i];
  }
  double threshold = uniform * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    threshold -= weights[i];
    if (threshold < 0.0) return static_cast<std::int32_t>(i);
  }
  return static_cast<std::int32_t>(best - logits.begin());
}

}  // namespace

LanguageModel::LanguageModel(const LanguageModelConfig& config, Device device)
    : config_(config), model_("language_model", config.seed) {
  check(config.vocab_size > 0 && config.embedding_dim > 0 && config.units > 0 && config.layers > 0,
        kWhere, "vocab_size, embedding_dim, units and layers must be positive, got ",
        config.vocab_size, ", ", config.embedding_dim, ", ", config.units, " and ", config.layers);
  EmbeddingOptions embedding;
  embedding.name = "embedding";
  embedding_ = &model_.emplace<Embedding>(config.vocab_size, config.embedding_dim, embedding);
  for (int i = 0; i < config.layers; ++i) {
    RecurrentOptions options;
    options.return_sequences = true;
    options.dropout = config.dropout;
    options.recurrent_dropout = config.recurrent_dropout;
    options.seed = config.seed + 1 + static_cast<std::uint64_t>(i);
    options.name = "lstm_" + std::to_string(i);
    lstms_.push_back(&model_.emplace<LSTM>(config.units, options));
  }
  DenseOptions logits;
  logits.name = "logits";
  logits_ = &model_.emplace<Dense>(config.vocab_size, logits);
  // Steps are free: Embedding, LSTM and Dense take any number per call.
  model_.build(Shape{1}, DType::float32, device);
}

RecurrentStack* LanguageModel::stack() {
  if (!model_.stack_recurrent_layers || config_.layers < 2) return nullptr;
  if (!stack_ || stack_->chunk_steps() != model_.recurrent_chunk_steps) {
    stack_ = std::make_unique<RecurrentStack>(lstms(), model_.recurrent_chunk_steps);
  }
  return stack_.get();
}

Tensor LanguageModel::forward(const Tensor& ids, bool training, RecurrentStates& states) {
  check(ids.defined() && ids.rank() == 2 && ids.dtype() == DType::int32, kWhere,
        "expected int32 ids [batch, steps], got ", ids);
  const auto layers = lstms();
  check(states.empty() || states.size() == layers.size(), kWhere, "expected states for ",
        layers.size(), " LSTM layers, got ", states.size());
  states.resize(layers.size());
  ForwardContext context;
  context.training = training;
  Tensor x = embedding_->forward(ids, context);
  if (RecurrentStack* stacked = stack()) {
    RecurrentStackResult result = stacked->forward(x, context, states);
    states = std::move(result.states);
    x = result.output;
  } else {
    for (std::size_t i = 0; i < layers.size(); ++i) {
      RecurrentResult result = layers[i]->forward_with_state(x, context, states[i]);
      states[i] = std::move(result.states);
      x = result.output;
    }
  }
  return logits_->forward(x, context);
}

void LanguageModel::backward(const Tensor& grad_logits,
                             const std::function<void(Layer&)>& layer_done) {
  auto done = [&](Layer& layer) {
    if (layer_done) layer_done(layer);
  };
  Tensor grad = logits_->backward(grad_logits);
  done(*logits_);
  const auto layers = lstms();
  if (RecurrentStack* stacked = stack()) {
    grad = stacked->backward(grad, {}, [&](Recurrent& layer) { done(layer); }).input;
  } else {
    for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer) {
      grad = (*layer)->backward_with_state(grad).input;
      done(**layer);
    }
  }
  embedding_->backward(grad);
  done(*embedding_);
}

std::vector<std::int32_t> LanguageModel::sample(const std::vector<std::int32_t>& prime,
                                                std::int64_t length, double temperature,
                                                std::uint64_t seed) {
  check(!prime.empty(), kWhere, "sample() needs at least one priming id");
  check(length >= 0 && temperature >= 0.0, kWhere,
        "sample() needs a length >= 0 and a temperature >= 0, got ", length, " and ", temperature);
  for (const std::int32_t id : prime) {
    check(id >= 0 && id < config_.vocab_size, kWhere, "priming id ", id, " is outside [0, ",
          config_.vocab_size, ")");
  }
  RecurrentStates states;
  const auto steps = static_cast<std::int64_t>(prime.size());
  Tensor logits = forward(Tensor::from_vector(prime, Shape{1, steps}, device()), false, states);
  Generator generator(seed);
  Tensor uniform = Tensor::empty(Shape{1}, DType::float32, device());
  std::vector<std::int32_t> drawn;
  for (std::int64_t i = 0; i < length; ++i) {
    const std::vector<float> all = logits.reshape({-1, config_.vocab_size}).to_vector<float>();
    const std::vector<float> last(all.end() - config_.vocab_size, all.end());
    ops::random_uniform(uniform, 0.0, 1.0, generator.next_stream());
    const std::int32_t id = draw(last, temperature, uniform.item());
    drawn.push_back(id);
    logits = forward(Tensor::from_vector(std::vector<std::int32_t>{id}, Shape{1, 1}, device()),
                     false, states);
  }
  return drawn;
}

double learning_rate_at(const LearningRateSchedule& schedule, double initial_rate,
                        std::int64_t step, std::int64_t total_steps) {
  if (schedule.kind == "constant") return initial_rate;
  if (schedule.kind == "exponential") {
    check(schedule.decay_steps > 0, "learning_rate_at", "decay_steps must be positive, got ",
          schedule.decay_steps);
    return initial_rate *
           std::pow(schedule.decay_rate, static_cast<double>(step / schedule.decay_steps));
  }
  if (schedule.kind == "cosine") {
    const double progress =
        total_steps <= 0
            ? 0.0
            : std::min(1.0, static_cast<double>(step) / static_cast<double>(total_steps));
    const double cosine = 0.5 * (1.0 + std::cos(M_PI * progress));
    return initial_rate * ((1.0 - schedule.alpha) * cosine + schedule.alpha);
  }
  fail("learning_rate_at", "unknown schedule \"", schedule.kind,
       "\"; expected constant, exponential or cosine");
}

}  // namespace cuseq
