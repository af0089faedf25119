// Language-model checkpoints (docs/language_models.md, "Checkpoint format"):
// one checksummed, versioned file holding everything a training step depends
// on, written with the atomic writer so a crash mid-write keeps the old file.
#include "cuseq/language_model.h"
#include "layers/io/binary_io.h"
#include "layers/io/framed_file.h"

namespace cuseq {
namespace {

using detail::ByteReader;
using detail::ByteWriter;

constexpr const char* kWhere = "checkpoint";
// No header fields of its own after the version.
constexpr detail::FileFrame kFrame{"cuseqckp",           1,     0, "a cuseq checkpoint",
                                   "checkpoint version", kWhere};

std::string read_payload(const std::string& path) { return detail::read_framed_file(path, kFrame); }

void write_config(ByteWriter& out, const LanguageModelConfig& config) {
  out.i64(config.vocab_size);
  out.i64(config.embedding_dim);
  out.i64(config.units);
  out.u32(static_cast<std::uint32_t>(config.layers));
  out.f64(config.dropout);
  out.f64(config.recurrent_dropout);
  out.u64(config.seed);
}

// The model's weight count, counted in floating point so absurd configs cannot overflow.
long double weight_count(const LanguageModelConfig& config) {
  const long double vocab = config.vocab_size, embedding = config.embedding_dim,
                    units = config.units;
  long double count = vocab * embedding + units * vocab + vocab;  // Embedding, Dense(vocab)
  for (int l = 0; l < config.layers; ++l) {
    const long double input = l == 0 ? embedding : units;
    count += 4 * units * (input + units + 1);  // an LSTM: kernel, recurrent kernel, bias
  }
  return count;
}

// Reads the config and checks it could be the one the payload was written
// for: a checkpoint holds every float32 weight, so a config whose weights
// outweigh the payload is forged or corrupt (and building it could take
// gigabytes before the weights are even read).
LanguageModelConfig read_config(ByteReader& in) {
  LanguageModelConfig config;
  config.vocab_size = in.i64("vocab_size");
  config.embedding_dim = in.i64("embedding_dim");
  config.units = in.i64("units");
  const std::uint32_t layers = in.u32("layers");
  config.dropout = in.f64("dropout");
  config.recurrent_dropout = in.f64("recurrent_dropout");
  config.seed = in.u64("seed");
  auto rate = [](double r) { return r >= 0 && r < 1; };  // false for NaN too
  if (config.vocab_size <= 0 || config.embedding_dim <= 0 || config.units <= 0 || layers == 0 ||
      layers > 1024 || !rate(config.dropout) || !rate(config.recurrent_dropout)) {
    in.corrupt("impossible model configuration (vocabulary " + std::to_string(config.vocab_size) +
               ", embedding " + std::to_string(config.embedding_dim) + ", " +
               std::to_string(layers) + " x " + std::to_string(config.units) + " units)");
  }
  config.layers = static_cast<int>(layers);
  if (4 * weight_count(config) > static_cast<long double>(in.size())) {
    in.corrupt("the model configuration (vocabulary " + std::to_string(config.vocab_size) +
               ", embedding " + std::to_string(config.embedding_dim) + ", " +
               std::to_string(layers) + " x " + std::to_string(config.units) +
               " units) has more weights than the file's " + std::to_string(in.size()) +
               " payload bytes could hold");
  }
  return config;
}

bool same_config(const LanguageModelConfig& a, const LanguageModelConfig& b) {
  return a.vocab_size == b.vocab_size && a.embedding_dim == b.embedding_dim && a.units == b.units &&
         a.layers == b.layers && a.dropout == b.dropout &&
         a.recurrent_dropout == b.recurrent_dropout && a.seed == b.seed;
}

void write_weights(ByteWriter& out, const Sequential& model) {
  for (std::size_t i = 0; i < model.size(); ++i) {
    const auto parameters = model.layer(i).parameters();
    out.u32(static_cast<std::uint32_t>(parameters.size()));
    for (const Parameter* parameter : parameters) out.tensor(parameter->value);
  }
}

std::vector<std::vector<Tensor>> read_weights(ByteReader& in, const Sequential& model) {
  std::vector<std::vector<Tensor>> weights(model.size());
  for (std::size_t i = 0; i < model.size(); ++i) {
    const std::uint32_t count = in.u32("a weight count");
    if (count != model.layer(i).parameters().size()) in.corrupt("weight count mismatch");
    for (std::uint32_t w = 0; w < count; ++w) {
      weights[i].push_back(in.tensor(model.layer(i).name() + " weight"));
    }
  }
  return weights;
}

}  // namespace

void LanguageModelTrainer::save_checkpoint(const std::string& path) {
  const int ranks = communicator_->size();
  const int rank = communicator_->rank();
  const auto layers = model_.lstms();
  // Gather every process's carried states (rows of the global batch) on rank 0.
  std::vector<Tensor> global_states;
  const bool has_states = !states_.empty();
  if (has_states) {
    const std::int64_t local = batcher_.local_batch_size();
    for (std::size_t l = 0; l < layers.size(); ++l) {
      for (std::size_t s = 0; s < 2; ++s) {
        Tensor global = Tensor::empty(Shape{options_.batch_size, model_.config().units});
        for (int root = 0; root < ranks; ++root) {
          Tensor part = root == rank
                            ? states_[l][s].clone()
                            : Tensor::empty(states_[l][s].shape(), DType::float32, model_.device());
          communicator_->broadcast(part, root);
          global.slice(root * local, (root + 1) * local).copy_from(part);
        }
        global_states.push_back(global);
      }
    }
  }
  if (rank != 0) {
    if (path == options_.checkpoint_path) checkpoint_step_ = step_;
    return;
  }

  ByteWriter out;
  write_config(out, model_.config());
  out.i64(options_.batch_size);
  out.i64(options_.steps_per_window);
  out.u64(train_.count());
  out.i64(step_);
  out.i64(batcher_.position().epoch);
  out.i64(batcher_.position().window);
  out.u64(model_.model().generator().counter());
  out.u32(static_cast<std::uint32_t>(layers.size()));
  for (Recurrent* layer : layers) out.u64(layer->dropout_generator().counter());
  out.u8(has_states ? 1 : 0);
  for (const Tensor& state : global_states) out.tensor(state);
  write_weights(out, model_.model());
  const NamedTensors state = optimizer_->get_state(model_.model().trainable_parameters());
  out.string(optimizer_->name());
  out.u32(static_cast<std::uint32_t>(state.size()));
  for (const auto& [name, tensor] : state) {
    out.string(name);
    out.tensor(tensor);
  }
  out.u32(static_cast<std::uint32_t>(history_.keys().size()));
  for (const std::string& key : history_.keys()) {
    out.string(key);
    const std::vector<double>& values = history_[key];
    out.u32(static_cast<std::uint32_t>(values.size()));
    for (const double value : values) out.f64(value);
  }

  detail::write_framed_file(path, kFrame, "", out.bytes());
  if (path == options_.checkpoint_path) checkpoint_step_ = step_;
}

void LanguageModelTrainer::load_checkpoint(const std::string& path) {
  const std::string payload = read_payload(path);
  ByteReader in(payload, path);
  const LanguageModelConfig config = read_config(in);
  check(same_config(config, model_.config()), kWhere, "\"", path,
        "\" was written for another model (vocabulary ", config.vocab_size, ", embedding ",
        config.embedding_dim, ", ", config.layers, " x ", config.units,
        " units), this one has vocabulary ", model_.config().vocab_size, ", embedding ",
        model_.config().embedding_dim, ", ", model_.config().layers, " x ", model_.config().units,
        " units");
  const std::int64_t batch = in.i64("the batch size");
  const std::int64_t steps = in.i64("the window length");
  const std::uint64_t corpus = in.u64("the corpus length");
  check(batch == options_.batch_size && steps == options_.steps_per_window, kWhere, "\"", path,
        "\" was written with --batch ", batch, " --steps-per-window ", steps, ", this run uses ",
        options_.batch_size, " and ", options_.steps_per_window);
  check(corpus == train_.count(), kWhere, "\"", path, "\" was written for a corpus of ", corpus,
        " tokens, \"", train_.path(), "\" has ", train_.count());
  const std::int64_t step = in.i64("the step");
  BpttPosition position;
  position.epoch = in.i64("the epoch");
  position.window = in.i64("the window");
  const std::uint64_t model_counter = in.u64("the model's generator counter");
  const auto layers = model_.lstms();
  if (in.u32("the LSTM count") != layers.size()) in.corrupt("LSTM count mismatch");
  std::vector<std::uint64_t> dropout_counters;
  for (std::size_t l = 0; l < layers.size(); ++l)
    dropout_counters.push_back(in.u64("a dropout counter"));
  const bool has_states = in.u8("the states flag") != 0;
  RecurrentStates states;
  if (has_states) {
    const std::int64_t local = batcher_.local_batch_size();
    const std::int64_t first = batcher_.first_stream();
    for (std::size_t l = 0; l < layers.size(); ++l) {
      std::vector<Tensor> pair;
      for (int s = 0; s < 2; ++s) {
        const Tensor global = in.tensor("a carried state");
        if (global.shape() != Shape{batch, config.units})
          in.corrupt("carried state of the wrong shape");
        pair.push_back(global.slice(first, first + local).to(model_.device()).clone());
      }
      states.push_back(std::move(pair));
    }
  }
  const auto weights = read_weights(in, model_.model());
  const std::string optimizer_name = in.string("the optimizer");
  check(optimizer_name == optimizer_->name(), kWhere, "\"", path, "\" holds ", optimizer_name,
        " state, this run uses ", optimizer_->name());
  NamedTensors optimizer_state;
  const std::uint32_t slots = in.u32("the optimizer slot count");
  for (std::uint32_t i = 0; i < slots; ++i) {
    std::string name = in.string("a slot name");
    optimizer_state.emplace_back(name, in.tensor(name));
  }
  History history;
  std::vector<std::pair<std::string, std::vector<double>>> columns;
  const std::uint32_t keys = in.u32("the history key count");
  for (std::uint32_t k = 0; k < keys; ++k) {
    std::pair<std::string, std::vector<double>> column;
    column.first = in.string("a history key");
    const std::uint32_t count = in.u32("a history length");
    for (std::uint32_t i = 0; i < count; ++i) column.second.push_back(in.f64("a history value"));
    if (!columns.empty() && column.second.size() != columns[0].second.size()) {
      in.corrupt("history columns of different lengths");
    }
    columns.push_back(std::move(column));
  }
  if (!in.at_end()) in.corrupt("unexpected bytes after the history");

  // Everything is read and checked: now change the trainer.
  model_.model().set_weights(weights);
  optimizer_->set_state(model_.model().trainable_parameters(), optimizer_state);
  model_.model().generator().set_counter(model_counter);
  for (std::size_t l = 0; l < layers.size(); ++l) {
    layers[l]->dropout_generator().set_counter(dropout_counters[l]);
  }
  batcher_.set_position(position);
  step_ = step;
  states_ = std::move(states);
  for (std::size_t row = 0; !columns.empty() && row < columns[0].second.size(); ++row) {
    EpochLogs logs;
    for (const auto& [key, values] : columns) logs.emplace_back(key, values[row]);
    history.append(logs);
  }
  history_ = std::move(history);
  checkpoint_step_ = path == options_.checkpoint_path ? step_ : -1;
}

LanguageModelConfig read_checkpoint_config(const std::string& path) {
  const std::string payload = read_payload(path);
  ByteReader in(payload, path);
  return read_config(in);
}

void load_checkpoint_weights(const std::string& path, LanguageModel& model) {
  const std::string payload = read_payload(path);
  ByteReader in(payload, path);
  const LanguageModelConfig config = read_config(in);
  check(same_config(config, model.config()), kWhere, "\"", path,
        "\" was written for another model configuration");
  for (int i = 0; i < 3; ++i) in.i64("the batch, window and corpus sizes");
  for (int i = 0; i < 3; ++i) in.i64("the step and position");
  in.u64("the model's generator counter");
  const std::uint32_t lstms = in.u32("the LSTM count");
  for (std::uint32_t l = 0; l < lstms; ++l) in.u64("a dropout counter");
  if (in.u8("the states flag") != 0) {
    for (std::uint32_t s = 0; s < 2 * lstms; ++s) in.tensor("a carried state");
  }
  model.model().set_weights(read_weights(in, model.model()));
}

}  // namespace cuseq
