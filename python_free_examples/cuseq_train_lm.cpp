// cuseq-train-lm: trains a stacked-LSTM language model on a token file
// (cuseq-tokenize), resumes from checkpoints, and samples text. Started by
// mpirun it trains data-parallel (docs/language_models.md).
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli_checks.h"
#include "cuseq/communicators.h"
#include "cuseq/cuseq.h"

namespace {

bool is_utf8_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Prime text as ids: characters for char corpora, whitespace-separated words otherwise.
std::vector<std::int32_t> encode(const std::string& text, cuseq::TokenUnit unit,
                                 const std::vector<std::string>& vocabulary) {
  std::map<std::string, std::int32_t> ids;
  for (std::size_t i = 0; i < vocabulary.size(); ++i)
    ids[vocabulary[i]] = static_cast<std::int32_t>(i);
  std::vector<std::string> pieces;
  if (unit == cuseq::TokenUnit::word) {
    std::string word;
    for (const char c : text + " ") {
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (!word.empty()) pieces.push_back(word);
        word.clear();
      } else {
        word += c;
      }
    }
  } else {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (unit == cuseq::TokenUnit::utf8_char && !pieces.empty() &&
          is_utf8_continuation(static_cast<unsigned char>(text[i]))) {
        pieces.back() += text[i];
      } else {
        pieces.emplace_back(1, text[i]);
      }
    }
  }
  std::vector<std::int32_t> result;
  for (const std::string& piece : pieces) {
    const auto found = ids.find(piece);
    if (found != ids.end()) result.push_back(found->second);
  }
  return result;
}

std::string decode(const std::vector<std::int32_t>& ids, cuseq::TokenUnit unit,
                   const std::vector<std::string>& vocabulary) {
  std::string text;
  for (const std::int32_t id : ids) {
    if (unit == cuseq::TokenUnit::word && !text.empty()) text += ' ';
    text += vocabulary.at(static_cast<std::size_t>(id));
  }
  return text;
}

std::string strip_tok(const std::string& path) {
  const std::string suffix = ".tok";
  const bool has = path.size() > suffix.size() &&
                   path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  return has ? path.substr(0, path.size() - suffix.size()) : path;
}

// Every flag, with its default; checked by CLI11 as it parses.
struct Options {
  std::string data, vocab, validation, device, backend = "auto";
  double validation_split = 0.01;
  cuseq::LanguageModelConfig model;
  cuseq::LanguageModelTrainOptions train;
  std::string optimizer = "adam", schedule = "constant", mixed_precision = "fp32";
  std::string checkpoint;
  bool resume = false;
  double bucket_mb = 25.0;
  std::int64_t sample = 0;
  double temperature = 1.0;
  std::string prime;
  std::int64_t sample_seed = 1;
  Options() { train.global_clipnorm = 5.0; }
};

void add_options(CLI::App& app, Options& o) {
  using cuseq::examples::finite_between;
  using cuseq::examples::writable_file;
  constexpr std::int64_t kMaxExtent = std::int64_t{1} << 24;
  constexpr std::int64_t kMaxCount = std::int64_t{1} << 50;
  auto count = [](std::int64_t low, std::int64_t high) { return CLI::Range(low, high); };
  // data
  app.add_option("--data", o.data, "token file from cuseq-tokenize")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--vocab", o.vocab, "its vocabulary (default DATA.vocab)")
      ->check(CLI::ExistingFile);
  app.add_option("--validation", o.validation, "validation token file")->check(CLI::ExistingFile);
  app.add_option("--validation-split", o.validation_split,
                 "without --validation: the corpus tail held out, written once as "
                 "DATA.train.tok / DATA.valid.tok (0: none)")
      ->check(finite_between(0, 1, false, true));
  // model
  app.add_option("--layers", o.model.layers, "LSTM layers")->check(count(1, 1024));
  app.add_option("--units", o.model.units, "units per LSTM")->check(count(1, kMaxExtent));
  app.add_option("--embedding", o.model.embedding_dim, "embedding size")
      ->check(count(1, kMaxExtent));
  app.add_option("--dropout", o.model.dropout, "of each LSTM's inputs")
      ->check(finite_between(0, 1, false, true));
  app.add_option("--recurrent-dropout", o.model.recurrent_dropout, "of each LSTM's state")
      ->check(finite_between(0, 1, false, true));
  app.add_option("--seed", o.model.seed, "weights and dropout masks");
  // training
  app.add_option("--batch", o.train.batch_size, "streams (global)")->check(count(1, kMaxExtent));
  app.add_option("--steps-per-window", o.train.steps_per_window, "truncated-BPTT length")
      ->check(count(1, kMaxExtent));
  app.add_option("--epochs", o.train.epochs, "epochs (0 with --max-steps 0: sample only)")
      ->check(CLI::Range(0, 1 << 30));
  app.add_option("--max-steps", o.train.max_steps,
                 "stop after this many updates (0: epochs decide)")
      ->check(count(0, kMaxCount));
  app.add_option("--lr", o.train.learning_rate, "learning rate")
      ->check(finite_between(0, 1e6, true));
  app.add_option("--optimizer", o.optimizer)->check(CLI::IsMember({"adam", "sgd"}));
  app.add_option("--clipnorm", o.train.clipnorm, "Keras' per-tensor clipnorm (0: off)")
      ->check(finite_between(0, 1e30));
  app.add_option("--global-clipnorm", o.train.global_clipnorm,
                 "clip all gradients together (0: off)")
      ->check(finite_between(0, 1e30));
  app.add_option("--schedule", o.schedule)
      ->check(CLI::IsMember({"constant", "exponential", "cosine"}));
  app.add_option("--decay-rate", o.train.schedule.decay_rate)->check(finite_between(0, 1e6, true));
  app.add_option("--decay-steps", o.train.schedule.decay_steps)->check(count(1, kMaxCount));
  app.add_option("--log-every", o.train.log_every, "a log row every N updates (0: epochs)")
      ->check(count(0, kMaxCount));
  app.add_option("--log-csv", o.train.log_csv, "History as CSV")->check(writable_file());
  app.add_option("--plot", o.train.plot_svg, "History as SVG")->check(writable_file());
  app.add_option("--verbose", o.train.verbose, "0 silent, 1 progress bar, 2 lines")
      ->check(CLI::Range(0, 2));
  app.add_option("--mixed-precision", o.mixed_precision, "GPU GEMMs")
      ->check(CLI::IsMember({"fp32", "bf16", "fp16"}));
  app.add_flag("--terminate-on-nan,!--no-terminate-on-nan", o.train.terminate_on_nan,
               "stop at a NaN or Inf loss, keeping the last good checkpoint (default on)");
  // state
  app.add_option("--checkpoint", o.checkpoint, "checkpoint file")->check(writable_file());
  app.add_option("--checkpoint-every", o.train.checkpoint_every, "updates between checkpoints")
      ->check(count(0, kMaxCount));
  app.add_flag("--resume", o.resume, "continue from --checkpoint")->needs("--checkpoint");
  // system
  app.add_option("--device", o.device, "cpu or cuda[:i] (default: the GPU of the local rank)");
  app.add_option("--backend", o.backend)->check(CLI::IsMember({"auto", "single", "mpi", "nccl"}));
  app.add_option("--bucket-mb", o.bucket_mb, "gradient all-reduce bucket")
      ->check(finite_between(0, 1e6, true));
  // sampling
  app.add_option("--sample", o.sample, "ids to draw after training")->check(count(0, kMaxCount));
  app.add_option("--temperature", o.temperature)->check(finite_between(0, 1e6));
  app.add_option("--prime", o.prime, "text to start the sample");
  app.add_option("--sample-seed", o.sample_seed);
}

int run(const Options& o) {
  using namespace cuseq;
  const std::string vocab_path = o.vocab.empty() ? o.data + ".vocab" : o.vocab;
  const Device device = !o.device.empty() ? Device::parse(o.device)
                        : cuda_available()
                            ? Device::cuda(launcher_local_rank() % cuda_device_count())
                            : Device::cpu();
  std::unique_ptr<Communicator> communicator = make_communicator(o.backend, device);
  communicator->set_bucket_bytes(
      std::max<std::size_t>(1, static_cast<std::size_t>(o.bucket_mb * double(1 << 20))));
  const bool rank0 = communicator->rank() == 0;

  // Training and validation token files: explicit, or the corpus split once
  // (again whenever the corpus is no longer the one the split was made from).
  std::string train_path = o.data;
  std::string validation_path = o.validation;
  if (validation_path.empty() && o.validation_split > 0) {
    train_path = strip_tok(o.data) + ".train.tok";
    validation_path = strip_tok(o.data) + ".valid.tok";
    if (rank0 && split_token_file_once(o.data, o.validation_split, train_path, validation_path)) {
      std::cout << "split " << o.data << " into " << train_path << " and " << validation_path
                << "\n";
    }
    communicator->barrier();
  }
  const TokenFile train = TokenFile::open(train_path);
  std::unique_ptr<TokenFile> validation;
  if (!validation_path.empty())
    validation = std::make_unique<TokenFile>(TokenFile::open(validation_path));

  LanguageModelConfig config = o.model;
  config.vocab_size = static_cast<std::int64_t>(train.vocab_size());
  if (o.resume) config = read_checkpoint_config(o.checkpoint);
  LanguageModel model(config, device);

  LanguageModelTrainOptions options = o.train;
  options.optimizer = o.optimizer;
  options.schedule.kind = o.schedule;
  options.checkpoint_path = o.checkpoint;
  options.gemm_precision = gemm_precision_from_name(o.mixed_precision);

  const std::vector<std::string> vocabulary = read_vocabulary(vocab_path);
  check(vocabulary.size() == train.vocab_size(), "cuseq-train-lm", "the vocabulary ", vocab_path,
        " has ", vocabulary.size(), " tokens, the token file ", train_path, " says ",
        train.vocab_size());
  if (options.epochs > 0 || options.max_steps > 0) {
    LanguageModelTrainer trainer(model, train, options, communicator.get(), validation.get());
    if (o.resume) {
      trainer.load_checkpoint(o.checkpoint);
      if (rank0) std::cout << "resumed " << o.checkpoint << " at step " << trainer.step() << "\n";
    }
    if (rank0) {
      std::cout << communicator->size() << " process(es), " << communicator->backend() << ", "
                << device.str() << "\n";
      model.model().summary(std::cout);
    }
    trainer.fit();
  } else {
    check(!o.checkpoint.empty(), "cuseq-train-lm", "sampling without training needs --checkpoint");
    load_checkpoint_weights(o.checkpoint, model);
  }

  if (o.sample > 0 && rank0) {
    std::vector<std::int32_t> prime = encode(o.prime, train.unit(), vocabulary);
    if (prime.empty()) prime.push_back(static_cast<std::int32_t>(train[0]));
    const auto drawn =
        model.sample(prime, o.sample, o.temperature, static_cast<std::uint64_t>(o.sample_seed));
    std::cout << "--- sample (temperature " << o.temperature << ") ---\n"
              << decode(prime, train.unit(), vocabulary) << decode(drawn, train.unit(), vocabulary)
              << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Trains a stacked-LSTM language model on a token file (cuseq-tokenize), resumes from\n"
      "checkpoints and samples text. Started by mpirun it trains data-parallel.",
      "cuseq-train-lm"};
  // A flag given twice takes its last value (char_lm.sh passes overrides after its defaults).
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  Options options;
  add_options(app, options);
  const int status = cuseq::examples::parse_command_line(app, argc, argv);
  if (status >= 0) return status;
  try {
    return run(options);
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
}
