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

#include "cuseq/communicators.h"
#include "cuseq/cuseq.h"
#include "example_args.h"

namespace {

const char* const kUsage =
    "usage: cuseq-train-lm --data corpus.tok [--vocab corpus.tok.vocab] [options]\n"
    "  data:     --validation FILE.tok | --validation-split F (default 0.01: the corpus tail,\n"
    "            written once as DATA.train.tok / DATA.valid.tok)\n"
    "  model:    --layers 2 --units 256 --embedding 64 --dropout 0 --recurrent-dropout 0\n"
    "            --seed N\n"
    "  training: --batch 32 --steps-per-window 64 --epochs 1 --max-steps 0 --lr 0.001\n"
    "            --optimizer adam|sgd --clipnorm 0 (Keras, per tensor) --global-clipnorm 5\n"
    "            --schedule constant|exponential|cosine --decay-rate 0.5 --decay-steps 1000\n"
    "            --log-every 0 --log-csv FILE --plot FILE.svg --verbose 1\n"
    "            --mixed-precision fp32|bf16|fp16 (GPU GEMMs; fp32 accumulation and weights)\n"
    "  state:    --checkpoint FILE --checkpoint-every N --resume (continue from FILE)\n"
    "  system:   --device cpu|cuda[:i] (default: GPU local_rank when present)\n"
    "            --backend auto|single|mpi|nccl --bucket-mb 25 (gradient all-reduce bucket;\n"
    "            smaller buckets start reducing earlier in the backward pass)\n"
    "  sampling: --sample N (after training, or from --checkpoint with --epochs 0)\n"
    "            --temperature 1.0 --prime TEXT\n";

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

int run(const cuseq::examples::Args& args) {
  using namespace cuseq;
  const std::string data = args.text("data", "");
  check(!data.empty(), "cuseq-train-lm", "--data is required\n", kUsage);
  const std::string vocab_path = args.text("vocab", data + ".vocab");

  const std::string device_text = args.text("device", "");
  const Device device = !device_text.empty() ? Device::parse(device_text)
                        : cuda_available()
                            ? Device::cuda(launcher_local_rank() % cuda_device_count())
                            : Device::cpu();
  std::unique_ptr<Communicator> communicator =
      make_communicator(args.text("backend", "auto"), device);
  const double bucket_mb = args.real("bucket-mb", 25.0);
  check(bucket_mb > 0, "cuseq-train-lm", "--bucket-mb must be positive, got ", bucket_mb);
  communicator->set_bucket_bytes(
      std::max<std::size_t>(1, static_cast<std::size_t>(bucket_mb * double(1 << 20))));
  const bool rank0 = communicator->rank() == 0;

  // Training and validation token files: explicit, or the corpus split once.
  std::string train_path = data;
  std::string validation_path = args.text("validation", "");
  const double split = args.real("validation-split", 0.01);
  if (validation_path.empty() && split > 0) {
    train_path = strip_tok(data) + ".train.tok";
    validation_path = strip_tok(data) + ".valid.tok";
    if (rank0) {
      std::ifstream exists(train_path);
      if (!exists) split_token_file(TokenFile::open(data), split, train_path, validation_path);
    }
    communicator->barrier();
  }
  const TokenFile train = TokenFile::open(train_path);
  std::unique_ptr<TokenFile> validation;
  if (!validation_path.empty())
    validation = std::make_unique<TokenFile>(TokenFile::open(validation_path));

  LanguageModelConfig config;
  config.vocab_size = static_cast<std::int64_t>(train.vocab_size());
  config.layers = static_cast<int>(args.integer("layers", 2));
  config.units = args.integer("units", 256);
  config.embedding_dim = args.integer("embedding", 64);
  config.dropout = args.real("dropout", 0.0);
  config.recurrent_dropout = args.real("recurrent-dropout", 0.0);
  config.seed = static_cast<std::uint64_t>(args.integer("seed", 0x5eed));
  const std::string checkpoint = args.text("checkpoint", "");
  const bool resume = args.text("resume", "false") == "true";
  if (resume) config = read_checkpoint_config(checkpoint);
  LanguageModel model(config, device);

  LanguageModelTrainOptions options;
  options.batch_size = args.integer("batch", 32);
  options.steps_per_window = args.integer("steps-per-window", 64);
  options.epochs = static_cast<int>(args.integer("epochs", 1));
  options.max_steps = args.integer("max-steps", 0);
  options.learning_rate = args.real("lr", 0.001);
  options.optimizer = args.text("optimizer", "adam");
  options.clipnorm = args.real("clipnorm", 0.0);
  options.global_clipnorm = args.real("global-clipnorm", 5.0);
  options.schedule.kind = args.text("schedule", "constant");
  options.schedule.decay_rate = args.real("decay-rate", 0.5);
  options.schedule.decay_steps = args.integer("decay-steps", 1000);
  options.log_every = args.integer("log-every", 0);
  options.checkpoint_path = checkpoint;
  options.checkpoint_every = args.integer("checkpoint-every", 0);
  options.log_csv = args.text("log-csv", "");
  options.plot_svg = args.text("plot", "");
  options.verbose = static_cast<int>(args.integer("verbose", 1));
  options.gemm_precision = gemm_precision_from_name(args.text("mixed-precision", "fp32"));

  const std::vector<std::string> vocabulary = read_vocabulary(vocab_path);
  if (options.epochs > 0 || options.max_steps > 0) {
    LanguageModelTrainer trainer(model, train, options, communicator.get(), validation.get());
    if (resume) {
      trainer.load_checkpoint(checkpoint);
      if (rank0) std::cout << "resumed " << checkpoint << " at step " << trainer.step() << "\n";
    }
    if (rank0) {
      std::cout << communicator->size() << " process(es), " << communicator->backend() << ", "
                << device.str() << "\n";
      model.model().summary(std::cout);
    }
    trainer.fit();
  } else {
    check(!checkpoint.empty(), "cuseq-train-lm", "sampling without training needs --checkpoint");
    load_checkpoint_weights(checkpoint, model);
  }

  const std::int64_t length = args.integer("sample", 0);
  if (length > 0 && rank0) {
    std::vector<std::int32_t> prime = encode(args.text("prime", ""), train.unit(), vocabulary);
    if (prime.empty()) prime.push_back(static_cast<std::int32_t>(train[0]));
    const auto drawn = model.sample(prime, length, args.real("temperature", 1.0),
                                    static_cast<std::uint64_t>(args.integer("sample-seed", 1)));
    std::cout << "--- sample (temperature " << args.real("temperature", 1.0) << ") ---\n"
              << decode(prime, train.unit(), vocabulary) << decode(drawn, train.unit(), vocabulary)
              << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(cuseq::examples::Args(argc, argv, kUsage));
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
}
