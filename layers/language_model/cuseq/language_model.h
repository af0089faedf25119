// Stacked-LSTM language models trained with truncated BPTT over token files
// (cuseq-tokenize), on one process or data-parallel across many.
//
// The model: Embedding -> layers x LSTM(return_sequences) -> Dense(vocab)
// logits, trained with sparse categorical cross-entropy from logits. The
// trainer reads B streams x T steps windows (BpttBatcher), carries every LSTM's
// (h, c) from one window to the next (reset when an epoch starts), averages
// gradients over the Communicator's processes (overlapped with the backward
// pass), clips, schedules the learning
// rate, validates, logs and writes checkpoints (docs/language_models.md).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "cuseq/bptt_batcher.h"
#include "cuseq/distributed.h"
#include "cuseq/export.h"
#include "cuseq/history.h"
#include "cuseq/optimizers.h"
#include "cuseq/precision.h"
#include "cuseq/recurrent.h"
#include "cuseq/recurrent_stack.h"
#include "cuseq/sequential.h"
#include "cuseq/token_file.h"

namespace cuseq {

class Dense;
class Embedding;

struct LanguageModelConfig {
  std::int64_t vocab_size = 0;
  std::int64_t embedding_dim = 64;
  std::int64_t units = 256;
  int layers = 2;
  double dropout = 0.0;            // of each LSTM's inputs (Keras' dropout)
  double recurrent_dropout = 0.0;  // of each LSTM's recurrent state
  std::uint64_t seed = 0x5eed;     // weights and dropout masks
};

// Per LSTM layer {h, c}, each [batch, units]; empty = zeros.
using RecurrentStates = std::vector<std::vector<Tensor>>;

class CUSEQ_API LanguageModel {
 public:
  explicit LanguageModel(const LanguageModelConfig& config, Device device = default_device());

  const LanguageModelConfig& config() const { return config_; }
  Device device() const { return model_.device(); }
  // The layers, for summary(), save() (an ordinary cuseq model file) and weights.
  Sequential& model() { return model_; }
  const Sequential& model() const { return model_; }
  std::vector<Recurrent*> lstms() const { return lstms_; }

  // ids: int32 [batch, steps] on the model's device -> logits [batch, steps, vocab].
  // `states` holds the initial states (or is empty) and receives the final ones.
  // Two or more LSTMs run as one wavefront (RecurrentStack) as model()'s
  // stack_recurrent_layers and recurrent_chunk_steps say.
  Tensor forward(const Tensor& ids, bool training, RecurrentStates& states);
  // Adds dL/dw of the last forward into the parameters' grads (truncated BPTT:
  // nothing flows into the initial states). `layer_done` is called with each
  // layer, last to first, once its grads are final (the trainer starts
  // averaging them over processes there, while earlier layers still run).
  void backward(const Tensor& grad_logits, const std::function<void(Layer&)>& layer_done = nullptr);

  // Feeds `prime` (at least one id), then draws `length` ids, each from
  // softmax(logits / temperature); temperature 0 takes the most likely id.
  std::vector<std::int32_t> sample(const std::vector<std::int32_t>& prime, std::int64_t length,
                                   double temperature = 1.0, std::uint64_t seed = 1);

 private:
  // The LSTMs as one stack, or null to run them one by one.
  RecurrentStack* stack();

  LanguageModelConfig config_;
  Sequential model_;
  // model_'s layers by their type, kept where the constructor makes them.
  Embedding* embedding_ = nullptr;
  std::vector<Recurrent*> lstms_;
  Dense* logits_ = nullptr;
  std::unique_ptr<RecurrentStack> stack_;
};

// Keras' learning-rate schedules by name: "constant"; "exponential"
// (ExponentialDecay, staircase: lr * decay_rate^floor(step / decay_steps));
// "cosine" (CosineDecay over the run's steps, down to alpha * lr).
struct LearningRateSchedule {
  std::string kind = "constant";
  double decay_rate = 0.5;
  std::int64_t decay_steps = 1000;
  double alpha = 0.0;
};
// The rate for update `step` (0-based) of `total_steps`.
CUSEQ_API double learning_rate_at(const LearningRateSchedule& schedule, double initial_rate,
                                  std::int64_t step, std::int64_t total_steps);

struct LanguageModelTrainOptions {
  std::int64_t batch_size = 32;        // global: B streams, split over the processes
  std::int64_t steps_per_window = 64;  // T, the truncated-BPTT length
  int epochs = 1;
  std::int64_t max_steps = 0;      // stop after this many updates in all (0: epochs decide)
  std::string optimizer = "adam";  // "adam" or "sgd"
  double learning_rate = 0.001;
  LearningRateSchedule schedule;
  double clipnorm = 0.0;         // Keras' per-tensor clipnorm (0 off)
  double global_clipnorm = 0.0;  // scale all gradients together to this norm (0 off)
  // Mixed precision on a GPU: bfloat16 or float16 GEMM operands, float32
  // accumulation, float32 master weights (cuseq/precision.h); the CPU is float32.
  GemmPrecision gemm_precision = GemmPrecision::float32;
  // A log row (validation, CSV, plot) at the end of each epoch and, when > 0,
  // every log_every updates.
  std::int64_t log_every = 0;
  std::string checkpoint_path;        // written atomically by rank 0
  std::int64_t checkpoint_every = 0;  // updates between checkpoints (0: epoch ends only)
  std::string log_csv;                // History as CSV (rank 0)
  std::string plot_svg;               // History as SVG (rank 0)
  int verbose = 1;                    // 0 silent, 1 progress bar on a terminal, 2 lines
  std::ostream* output = nullptr;     // std::cout when null
  // Keras' TerminateOnNaN, on by default: fit() throws a cuseq::Error at the
  // first NaN or Inf loss, and no checkpoint is ever written from weights
  // that hold NaN or Inf, so the last good checkpoint stays.
  bool terminate_on_nan = true;
};

class CUSEQ_API LanguageModelTrainer {
 public:
  // `train` (and `validation`, optional) must outlive the trainer. A null
  // communicator trains in this process alone.
  LanguageModelTrainer(LanguageModel& model, const TokenFile& train,
                       const LanguageModelTrainOptions& options,
                       Communicator* communicator = nullptr, const TokenFile* validation = nullptr);
  ~LanguageModelTrainer();

  // One update on the next window; returns its loss (mean over all processes).
  double train_step();
  // Trains until the epochs or max_steps are done, with validation, logging
  // and checkpoints; continues from where a loaded checkpoint stopped.
  History fit();
  // Mean cross-entropy in nats per token over `file`, states carried, no dropout.
  double evaluate(const TokenFile& file);

  // Every process calls these: saving gathers the carried states to rank 0,
  // which writes; loading restores everything train_step depends on.
  void save_checkpoint(const std::string& path);
  void load_checkpoint(const std::string& path);

  std::int64_t step() const { return step_; }
  std::int64_t total_steps() const;
  BpttPosition position() const { return batcher_.position(); }
  const History& history() const { return history_; }
  Optimizer& optimizer() { return *optimizer_; }
  const RecurrentStates& states() const { return states_; }

 private:
  EpochLogs period_logs(double train_loss_sum, std::int64_t steps);
  void write_logs() const;
  // fit()'s checkpoint: refuses (throws) when a weight is NaN or Inf.
  void save_good_checkpoint();
  // What stopping keeps, for the error messages.
  std::string kept_checkpoint() const;

  LanguageModel& model_;
  const TokenFile& train_;
  const TokenFile* validation_;
  LanguageModelTrainOptions options_;
  std::unique_ptr<Communicator> own_communicator_;
  Communicator* communicator_;
  BpttBatcher batcher_;
  std::unique_ptr<Optimizer> optimizer_;
  RecurrentStates states_;
  std::int64_t step_ = 0;
  std::int64_t checkpoint_step_ = -1;  // of the last checkpoint fit() wrote or loaded
  History history_;
};

// The model configuration a checkpoint was written for (to rebuild the model
// before load_checkpoint, or to sample from it). Throws when the file is too
// small to hold the weights of the model it describes.
CUSEQ_API LanguageModelConfig read_checkpoint_config(const std::string& path);
// Loads only the weights of a checkpoint into `model` (e.g. for sampling).
CUSEQ_API void load_checkpoint_weights(const std::string& path, LanguageModel& model);

// Copies the first (1 - fraction) of `source`'s tokens to `train_path` and the
// rest to `validation_path`, streaming (memory stays flat).
CUSEQ_API void split_token_file(const TokenFile& source, double validation_fraction,
                                const std::string& train_path, const std::string& validation_path);
// split_token_file, unless a split of this very source with this fraction is
// already at these paths: "<train_path>.split", written last, records the
// source's count, vocabulary and checksum, the fraction and both halves'
// checksums. A split of another corpus (re-tokenized to the same path), or
// one cut short between its files, is made again. True when it wrote one.
CUSEQ_API bool split_token_file_once(const std::string& source_path, double validation_fraction,
                                     const std::string& train_path,
                                     const std::string& validation_path);

}  // namespace cuseq
