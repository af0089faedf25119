// Hostile inputs through the library API, one per process: every case here is
// input that cuseq must refuse with a cuseq::Error. run_hostile_cases.sh runs
// each in a process of its own and counts clean errors, crashes (signals,
// sanitizer reports), other exceptions (a bare std::bad_alloc, say) and silent
// acceptances.
//   cuseq_hostile_cases --list       names, one per line
//   cuseq_hostile_cases NAME         exit 0: a clean cuseq::Error; 3: accepted; 4: another
//   exception
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>

#include "cuseq/cuseq.h"
#include "forged_file.h"

namespace {

using namespace cuseq;
using Case = std::function<void()>;

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();
constexpr std::int64_t kHuge = std::int64_t{1} << 40;

std::string scratch(const std::string& name) {
  return "/tmp/cuseq_hostile_" + std::to_string(::getpid()) + "_" + name;
}

std::string file_with(const std::string& name, const std::string& bytes) {
  const std::string path = scratch(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

Sequential small_model() {
  Sequential model;
  model.emplace<Embedding>(50, 3, 6);
  model.emplace<Flatten>();
  model.emplace<Dense>(4, "relu");
  model.emplace<Dense>(1, "sigmoid");
  model.build({6}, DType::float32, Device::cpu());
  return model;
}

std::string saved_model() {
  const std::string path = scratch("model.cuseq");
  small_model().save(path);
  return path;
}

// The saved model with its payload edited by `edit` and the checksum fixed.
std::string forged_model(const std::function<void(std::string&)>& edit) {
  const std::string file = read_all(saved_model());
  std::string payload = testing::payload_of(file, 4);
  edit(payload);
  return file_with("forged.cuseq", testing::reframe(file, 4, payload));
}

std::string forged_config(const std::string& key, const std::string& from, const std::string& to) {
  return forged_model([&](std::string& payload) {
    if (!testing::replace_first(payload, testing::encoded(key) + testing::encoded(from),
                                testing::encoded(key) + testing::encoded(to)))
      throw std::logic_error("the test model has no " + key + "=" + from);
  });
}

Sequential compiled(std::int64_t units, const std::string& activation, const std::string& loss,
                    std::int64_t inputs = 2) {
  Sequential model;
  model.emplace<Dense>(units, activation);
  model.build({inputs}, DType::float32, Device::cpu());
  model.compile("sgd", loss);
  return model;
}

FitOptions quiet() {
  FitOptions options;
  options.verbose = 0;
  return options;
}

Tensor floats(std::vector<float> values, Shape shape) {
  return Tensor::from_vector<float>(values, shape);
}

std::string token_file(std::uint32_t vocab, std::size_t count) {
  const std::string path = scratch("tokens.tok");
  TokenFileWriter writer(path, vocab, TokenUnit::utf8_char);
  for (std::size_t i = 0; i < count; ++i) writer.append(static_cast<std::uint32_t>(i % vocab));
  writer.finish();
  return path;
}

// The token file with header bytes [at, at + width) set to `value`, checksum kept.
std::string token_header_edit(std::size_t at, std::uint64_t value, int width) {
  std::string bytes = read_all(token_file(5, 100));
  testing::put_le(bytes, at, value, width);
  return file_with("edited.tok", bytes);
}

std::string checkpoint_of(LanguageModelTrainOptions options = {}) {
  const std::string corpus = token_file(5, 200);
  static std::unique_ptr<TokenFile> tokens;
  tokens = std::make_unique<TokenFile>(TokenFile::open(corpus));
  LanguageModelConfig config;
  config.vocab_size = 5, config.embedding_dim = 3, config.units = 4, config.layers = 1;
  LanguageModel model(config, Device::cpu());
  options.batch_size = 2, options.steps_per_window = 3, options.verbose = 0;
  LanguageModelTrainer trainer(model, *tokens, options);
  trainer.train_step();
  const std::string path = scratch("lm.ckpt");
  trainer.save_checkpoint(path);
  return path;
}

std::string forged_checkpoint(std::size_t at, std::uint64_t value, int width) {
  const std::string file = read_all(checkpoint_of());
  std::string payload = testing::payload_of(file, 0);
  testing::put_le(payload, at, value, width);
  return file_with("forged.ckpt", testing::reframe(file, 0, payload));
}

LanguageModelTrainOptions train_options() {
  LanguageModelTrainOptions options;
  options.batch_size = 2, options.steps_per_window = 3, options.verbose = 0;
  return options;
}

void train_language_model(const LanguageModelTrainOptions& options) {
  const TokenFile tokens = TokenFile::open(token_file(5, 200));
  LanguageModelConfig config;
  config.vocab_size = 5, config.embedding_dim = 3, config.units = 4, config.layers = 1;
  LanguageModel model(config, Device::cpu());
  LanguageModelTrainer trainer(model, tokens, options);
  trainer.fit();
}

std::map<std::string, Case> cases() {
  std::map<std::string, Case> all;
  auto add = [&](const std::string& name, Case body) { all.emplace(name, std::move(body)); };

  // Shapes and tensors.
  add("shape.negative_extent", [] { Shape({2, -1}); });
  add("shape.overflowing_count", [] { Shape({kHuge, kHuge}); });
  add("tensor.address_space", [] { Tensor::zeros(Shape{(std::int64_t{1} << 62) - 1}); });
  add("tensor.more_than_memory",
      [] { Tensor::empty(Shape{std::int64_t{1} << 50}, DType::float64); });
  add("tensor.from_vector_count", [] { floats({1, 2, 3}, {2, 2}); });
  add("tensor.reshape_mismatch", [] { Tensor::zeros({2, 3}).reshape({4, 2}); });
  add("tensor.reshape_two_unknowns", [] { Tensor::zeros({2, 3}).reshape({-1, -1}); });
  add("tensor.slice_out_of_range", [] { Tensor::zeros({2, 3}).slice(1, 3); });
  add("tensor.item_of_many", [] { Tensor::zeros({2}).item(); });
  add("tensor.wrong_dtype_data", [] { Tensor::zeros({2}).data<std::int32_t>(); });
  add("tensor.undefined_device", [] { Tensor().device(); });
  add("tensor.copy_shape_mismatch", [] { Tensor::zeros({2}).copy_from(Tensor::zeros({3})); });
  add("tensor.gpu_without_gpu", [] {
    if (cuda_available()) throw Error("skip: a GPU is present");
    Tensor::zeros({2}, DType::float32, Device::cuda(0));
  });

  // Layers: constructor arguments.
  add("dense.zero_units", [] { Dense(0); });
  add("dense.negative_units", [] { Dense(-3); });
  add("dense.unknown_activation", [] { Dense(3, "softmaxx"); });
  add("dense.huge_build", [] { compiled(std::int64_t{1} << 46, "", "mse", 64); });
  add("embedding.zero_dim", [] { Embedding(0, 4); });
  add("embedding.overflowing_table", [] {
    Sequential model;
    model.emplace<Embedding>(std::int64_t{1} << 34, std::int64_t{1} << 30);
    model.build({3}, DType::float32, Device::cpu());
  });
  add("embedding.id_out_of_range", [] {
    Embedding layer(5, 2);
    layer.forward(Tensor::from_vector<std::int32_t>({1, 7}, {1, 2}), {});
  });
  add("embedding.negative_id", [] {
    Embedding layer(5, 2);
    layer.forward(Tensor::from_vector<std::int32_t>({1, -1}, {1, 2}), {});
  });
  add("embedding.fractional_id", [] {
    Embedding layer(5, 2);
    layer.forward(floats({1.5f, 2}, {1, 2}), {});
  });
  add("embedding.nan_id", [] {
    Embedding layer(5, 2);
    layer.forward(floats({kNaN, 2}, {1, 2}), {});
  });
  add("dropout.rate_one", [] { Dropout(1.0); });
  add("dropout.rate_negative", [] { Dropout(-0.1); });
  add("dropout.rate_nan", [] { Dropout(std::nan("")); });
  add("lstm.zero_units", [] { LSTM(0); });
  add("lstm.dropout_nan", [] {
    RecurrentOptions options;
    options.dropout = std::nan("");
    LSTM(4, options);
  });
  add("gru.recurrent_dropout_one", [] {
    RecurrentOptions options;
    options.recurrent_dropout = 1.0;
    GRU(4, options);
  });
  add("lstm.unknown_activation", [] {
    RecurrentOptions options;
    options.activation = "tanhh";
    LSTM(4, options);
  });
  add("conv1d.zero_kernel", [] { Conv1D(4, 0); });
  add("conv1d.causal_strided", [] { Conv1D(4, 3, Conv1DOptions{2, "causal", 2}); });
  add("conv1d.bad_padding", [] { Conv1D(4, 3, Conv1DOptions{1, "full"}); });
  add("pooling.zero_pool", [] { MaxPooling1D(0); });
  add("pooling.causal", [] { AveragePooling1D(2, Pooling1DOptions{std::nullopt, "causal"}); });
  add("bidirectional.bad_merge", [] { Bidirectional(std::make_unique<LSTM>(3), "max"); });
  add("activation.unknown", [] { ActivationLayer("gelu2"); });

  // Layers: inputs.
  add("dense.wrong_input_width", [] {
    Dense layer(3);
    Generator generator;
    layer.build({4}, DType::float32, Device::cpu(), generator);
    layer.forward(Tensor::zeros({2, 5}), {});
  });
  add("lstm.rank2_input", [] {
    LSTM layer(3);
    layer.forward(Tensor::zeros({2, 5}), {});
  });
  add("lstm.zero_steps", [] {
    LSTM layer(3);
    layer.forward(Tensor::zeros({2, 0, 4}), {});
  });
  add("conv1d.window_longer_than_input", [] {
    Conv1D layer(2, 5);
    layer.forward(Tensor::zeros({1, 3, 2}), {});
  });
  add("global_average_pooling.zero_steps", [] {
    GlobalAveragePooling1D().forward(Tensor::zeros({2, 0, 4}), {});
  });
  add("global_max_pooling.zero_steps", [] {
    GlobalMaxPooling1D().forward(Tensor::zeros({2, 0, 4}), {});
  });
  add("max_pooling.zero_steps", [] { MaxPooling1D(2).forward(Tensor::zeros({2, 0, 4}), {}); });
  add("pipeline.unknown_words_to_pooling", [] {
    Tokenizer tokenizer(100);
    tokenizer.fit_on_texts({"a good film"});
    Sequential model;
    model.emplace<Embedding>(100, 4);
    model.emplace<GlobalAveragePooling1D>();
    model.emplace<Dense>(1, "sigmoid");
    model.predict(pad_sequences(tokenizer.texts_to_sequences({"zzz", "qqq"})));
  });
  add("dense.backward_before_forward", [] {
    Dense layer(3);
    layer.backward(Tensor::zeros({2, 3}));
  });

  // Models: compile, fit, evaluate, predict.
  add("compile.unknown_loss", [] { compiled(1, "", "mse").compile("sgd", "hinge"); });
  add("compile.unknown_optimizer", [] { compiled(1, "", "mse").compile("adamw2", "mse"); });
  add("compile.unknown_metric", [] {
    Sequential model = compiled(1, "", "mse");
    model.compile("sgd", "mse", {"bleu"});
  });
  add("fit.uncompiled", [] {
    Sequential model;
    model.emplace<Dense>(1);
    model.fit(Tensor::zeros({2, 2}), Tensor::zeros({2, 1}), quiet());
  });
  add("fit.rows_mismatch", [] {
    compiled(1, "", "mse").fit(Tensor::zeros({3, 2}), Tensor::zeros({2, 1}), quiet());
  });
  add("fit.zero_batch", [] {
    FitOptions options = quiet();
    options.batch_size = 0;
    compiled(1, "", "mse").fit(Tensor::zeros({3, 2}), Tensor::zeros({3, 1}), options);
  });
  add("fit.negative_epochs", [] {
    FitOptions options = quiet();
    options.epochs = -1;
    compiled(1, "", "mse").fit(Tensor::zeros({3, 2}), Tensor::zeros({3, 1}), options);
  });
  add("fit.validation_split_one", [] {
    FitOptions options = quiet();
    options.validation_split = 1.0;
    compiled(1, "", "mse").fit(Tensor::zeros({3, 2}), Tensor::zeros({3, 1}), options);
  });
  add("fit.validation_split_negative", [] {
    FitOptions options = quiet();
    options.validation_split = -0.5;
    compiled(1, "", "mse").fit(Tensor::zeros({3, 2}), Tensor::zeros({3, 1}), options);
  });
  add("fit.no_rows", [] {
    compiled(1, "", "mse").fit(Tensor::zeros({0, 2}), Tensor::zeros({0, 1}), quiet());
  });
  add("fit.nan_input", [] {
    compiled(1, "", "mse").fit(floats({0, 1, kNaN, 1}, {2, 2}), Tensor::zeros({2, 1}), quiet());
  });
  add("fit.inf_input", [] {
    compiled(1, "", "mse").fit(floats({0, 1, kInf, 1}, {2, 2}), Tensor::zeros({2, 1}), quiet());
  });
  add("fit.nan_target", [] {
    compiled(1, "", "mse").fit(Tensor::zeros({2, 2}), floats({0, kNaN}, {2, 1}), quiet());
  });
  add("fit.inf_target", [] {
    compiled(1, "", "mae").fit(Tensor::zeros({2, 2}), floats({-kInf, 0}, {2, 1}), quiet());
  });
  add("fit.fractional_sparse_label", [] {
    compiled(3, "softmax", "sparse_categorical_crossentropy")
        .fit(Tensor::zeros({2, 2}), floats({0, 1.5f}, {2}), quiet());
  });
  add("fit.sparse_label_out_of_range", [] {
    compiled(3, "softmax", "sparse_categorical_crossentropy")
        .fit(Tensor::zeros({2, 2}), Tensor::from_vector<std::int32_t>({0, 3}, {2}), quiet());
  });
  add("fit.negative_sparse_label", [] {
    compiled(3, "softmax", "sparse_categorical_crossentropy")
        .fit(Tensor::zeros({2, 2}), Tensor::from_vector<std::int32_t>({0, -1}, {2}), quiet());
  });
  add("fit.binary_target_five", [] {
    compiled(1, "sigmoid", "binary_crossentropy")
        .fit(Tensor::zeros({2, 2}), floats({0, 5}, {2, 1}), quiet());
  });
  add("fit.binary_target_negative", [] {
    compiled(1, "sigmoid", "binary_crossentropy")
        .fit(Tensor::zeros({2, 2}), floats({-3, 1}, {2, 1}), quiet());
  });
  add("fit.categorical_target_shape", [] {
    compiled(3, "softmax", "categorical_crossentropy")
        .fit(Tensor::zeros({2, 2}), Tensor::zeros({2, 4}), quiet());
  });
  add("fit.wrong_input_width", [] {
    compiled(1, "", "mse").fit(Tensor::zeros({2, 3}), Tensor::zeros({2, 1}), quiet());
  });
  add("fit.validation_x_only", [] {
    FitOptions options = quiet();
    options.validation_data.x = Tensor::zeros({2, 2});
    compiled(1, "", "mse").fit(Tensor::zeros({2, 2}), Tensor::zeros({2, 1}), options);
  });
  add("fit.nan_validation_x", [] {
    FitOptions options = quiet();
    options.validation_data = {floats({kNaN, 0}, {1, 2}), Tensor::zeros({1, 1})};
    compiled(1, "", "mse").fit(Tensor::zeros({2, 2}), Tensor::zeros({2, 1}), options);
  });
  add("evaluate.no_rows", [] {
    compiled(1, "", "mse").evaluate(Tensor::zeros({0, 2}), Tensor::zeros({0, 1}));
  });
  add("evaluate.binary_target_negative", [] {
    compiled(1, "sigmoid", "binary_crossentropy")
        .evaluate(Tensor::zeros({2, 2}), floats({-3, 1}, {2, 1}));
  });
  add("evaluate.nan_target", [] {
    compiled(1, "", "mse").evaluate(Tensor::zeros({2, 2}), floats({kNaN, 1}, {2, 1}));
  });
  add("predict.zero_batch", [] { compiled(1, "", "mse").predict(Tensor::zeros({2, 2}), 0); });
  add("predict.wrong_rank", [] { compiled(1, "", "mse").predict(Tensor::zeros({2})); });
  add("set_weights.wrong_shape", [] {
    Sequential model = small_model();
    auto weights = model.get_weights();
    weights[2][0] = Tensor::zeros({3, 3});
    model.set_weights(weights);
  });
  add("set_weights.wrong_count", [] {
    Sequential model = small_model();
    auto weights = model.get_weights();
    weights.pop_back();
    model.set_weights(weights);
  });
  add("early_stopping.negative_patience", [] {
    EarlyStopping(EarlyStoppingOptions{"val_loss", 0, -1});
  });
  add("early_stopping.missing_monitor", [] {
    FitOptions options = quiet();
    options.callbacks = {std::make_shared<EarlyStopping>(EarlyStoppingOptions{"val_accuracy"})};
    compiled(1, "", "mse").fit(Tensor::zeros({2, 2}), Tensor::zeros({2, 1}), options);
  });
  add("callback.bad_mode", [] {
    ModelCheckpoint("x", ModelCheckpointOptions{"loss", 0, false, false, "maximum"});
  });

  // Optimizers.
  add("sgd.negative_rate", [] { SGD(-0.1); });
  add("sgd.nan_rate", [] { SGD(std::nan("")); });
  add("adam.beta_one", [] { Adam(0.001, 1.0); });
  add("rmsprop.inf_rate", [] { RMSprop{std::numeric_limits<double>::infinity()}; });

  // Text and sequences.
  add("pad_sequences.bad_padding", [] { pad_sequences({{1, 2}}, 3, "middle"); });
  add("pad_sequences.bad_truncating", [] { pad_sequences({{1, 2}}, 1, "pre", "both"); });
  add("pad_sequences.zero_maxlen_negative", [] { pad_sequences({{1, 2}}, -1); });
  add("pad_sequences.huge_maxlen", [] { pad_sequences({{1}, {2}}, std::int64_t{1} << 61); });
  add("to_categorical.id_out_of_range", [] {
    to_categorical(Tensor::from_vector<std::int32_t>({0, 4}, {2}), 3);
  });
  add("to_categorical.negative_id", [] {
    to_categorical(Tensor::from_vector<std::int32_t>({0, -1}, {2}));
  });
  add("to_categorical.huge_classes", [] {
    to_categorical(Tensor::from_vector<std::int32_t>({0, 1}, {2}), std::int64_t{1} << 60);
  });
  add("tokenizer.negative_num_words", [] { Tokenizer(-5); });
  add("tokenizer.matrix_bad_mode", [] {
    Tokenizer tokenizer(10);
    tokenizer.fit_on_texts({"a b"});
    tokenizer.texts_to_matrix({"a"}, "onehot");
  });
  add("tokenizer.matrix_unfitted", [] { Tokenizer(0).texts_to_matrix({"a"}); });
  add("hashing_trick.zero_buckets", [] { hashing_trick("a b", 0); });
  add("one_hot.negative_n", [] { one_hot("a b", -2); });

  // Model files.
  add("model_file.missing", [] { load_model(scratch("absent.cuseq")); });
  add("model_file.empty", [] { load_model(file_with("empty.cuseq", "")); });
  add("model_file.text", [] { load_model(file_with("text.cuseq", "hello, I am not a model")); });
  add("model_file.truncated", [] {
    const std::string bytes = read_all(saved_model());
    load_model(file_with("cut.cuseq", bytes.substr(0, bytes.size() / 2)));
  });
  add("model_file.padded",
      [] { load_model(file_with("pad.cuseq", read_all(saved_model()) + "x")); });
  add("model_file.flipped_byte", [] {
    std::string bytes = read_all(saved_model());
    bytes[bytes.size() - 5] ^= 1;
    load_model(file_with("flip.cuseq", bytes));
  });
  add("model_file.other_version", [] {
    std::string bytes = read_all(saved_model());
    bytes[8] = 9;
    load_model(file_with("version.cuseq", bytes));
  });
  add("model_file.directory", [] { load_model("/tmp"); });
  add("model_file.units_beyond_int64",
      [] { load_model(forged_config("units", "4", "99999999999999999999999")); });
  add("model_file.units_absurd", [] { load_model(forged_config("units", "4", "2000000000")); });
  add("model_file.units_negative", [] { load_model(forged_config("units", "4", "-4")); });
  add("model_file.units_text", [] { load_model(forged_config("units", "4", "four")); });
  add("model_file.embedding_absurd",
      [] { load_model(forged_config("input_dim", "50", "5000000000")); });
  add("model_file.unknown_activation",
      [] { load_model(forged_config("activation", "relu", "rel")); });
  add("model_file.unknown_layer_type", [] {
    load_model(forged_model([](std::string& payload) {
      testing::replace_first(payload, testing::encoded("Flatten"), testing::encoded("Flattn!"));
    }));
  });
  add("model_file.weight_shape_swapped", [] {
    load_model(forged_model([](std::string& payload) {
      // The first Dense kernel [18, 4] declared as [4, 18].
      std::string from(16, '\0'), to(16, '\0');
      testing::put_le(from, 0, 18, 8), testing::put_le(from, 8, 4, 8);
      testing::put_le(to, 0, 4, 8), testing::put_le(to, 8, 18, 8);
      testing::replace_first(payload, from, to);
    }));
  });
  add("model_file.bad_dtype_code", [] {
    load_model(forged_model([](std::string& payload) {
      // The model's dtype byte follows the name, the rank and one extent.
      const std::size_t at = 4 + payload[0] + 4 + 8;
      payload[at] = 9;
    }));
  });
  add("model_file.negative_input_extent", [] {
    load_model(forged_model([](std::string& payload) {
      testing::put_le(payload, 4 + static_cast<unsigned char>(payload[0]) + 4, std::uint64_t(-6),
                      8);
    }));
  });
  add("model_file.trailing_bytes",
      [] { load_model(forged_model([](std::string& payload) { payload += "extra"; })); });
  add("weights_file.into_other_model", [] {
    const std::string path = scratch("w.cuseq");
    small_model().save_weights(path);
    Sequential other;
    other.emplace<Dense>(3);
    other.build({2}, DType::float32, Device::cpu());
    other.load_weights(path);
  });
  add("weights_file.unbuilt_model", [] { Sequential().load_weights(saved_model()); });
  add("save.missing_folder", [] { small_model().save(scratch("no/such/folder/m.cuseq")); });
  add("save.onto_fifo", [] {
    const std::string fifo = scratch("fifo");
    ::mkfifo(fifo.c_str(), 0600);
    small_model().save(fifo);
  });
  add("save.onto_folder", [] { small_model().save("/tmp"); });
  add("history.csv_missing_folder", [] {
    History history;
    history.append({{"loss", 1}});
    history.to_csv(scratch("no/folder/h.csv"));
  });
  add("history.plot_empty", [] { History().plot_svg(scratch("h.svg")); });

  // Checkpoints and language models.
  add("checkpoint.missing", [] { read_checkpoint_config(scratch("absent.ckpt")); });
  add("checkpoint.model_file", [] { read_checkpoint_config(saved_model()); });
  add("checkpoint.truncated", [] {
    const std::string bytes = read_all(checkpoint_of());
    read_checkpoint_config(file_with("cut.ckpt", bytes.substr(0, bytes.size() - 7)));
  });
  add("checkpoint.vocab_absurd", [] { read_checkpoint_config(forged_checkpoint(0, kHuge, 8)); });
  add("checkpoint.units_absurd", [] { read_checkpoint_config(forged_checkpoint(16, kHuge, 8)); });
  add("checkpoint.units_negative",
      [] { read_checkpoint_config(forged_checkpoint(16, std::uint64_t(-4), 8)); });
  add("checkpoint.layers_zero", [] { read_checkpoint_config(forged_checkpoint(24, 0, 4)); });
  add("checkpoint.dropout_nan",
      [] { read_checkpoint_config(forged_checkpoint(28, 0x7ff8000000000000ULL, 8)); });
  add("language_model.zero_vocab", [] {
    LanguageModelConfig config;
    LanguageModel model(config, Device::cpu());
  });
  add("trainer.lr_inf", [] {
    LanguageModelTrainOptions options = train_options();
    options.learning_rate = std::numeric_limits<double>::infinity();
    options.max_steps = 2;
    train_language_model(options);
  });
  add("trainer.lr_nan", [] {
    LanguageModelTrainOptions options = train_options();
    options.learning_rate = std::nan("");
    options.max_steps = 2;
    train_language_model(options);
  });
  add("trainer.negative_max_steps", [] {
    LanguageModelTrainOptions options = train_options();
    options.max_steps = -5;
    train_language_model(options);
  });
  add("trainer.zero_batch", [] {
    LanguageModelTrainOptions options = train_options();
    options.batch_size = 0;
    train_language_model(options);
  });
  add("trainer.unknown_optimizer", [] {
    LanguageModelTrainOptions options = train_options();
    options.optimizer = "adagrad";
    train_language_model(options);
  });
  add("trainer.diverging_lr", [] {
    LanguageModelTrainOptions options = train_options();
    options.optimizer = "sgd";
    options.learning_rate = 1e30;
    options.max_steps = 20;
    train_language_model(options);
  });
  add("trainer.corpus_too_short", [] {
    const TokenFile tokens = TokenFile::open(token_file(5, 4));
    LanguageModelConfig config;
    config.vocab_size = 5, config.embedding_dim = 3, config.units = 4, config.layers = 1;
    LanguageModel model(config, Device::cpu());
    LanguageModelTrainer trainer(model, tokens, train_options());
  });
  add("learning_rate.unknown_schedule", [] { learning_rate_at({"linear"}, 0.1, 0, 10); });

  // Token files and vocabularies.
  add("token_file.missing", [] { TokenFile::open(scratch("absent.tok")); });
  add("token_file.text", [] { TokenFile::open(file_with("text.tok", std::string(100, 'x'))); });
  add("token_file.short", [] { TokenFile::open(file_with("short.tok", "CUSEQTOK")); });
  add("token_file.count_overflow", [] { TokenFile::open(token_header_edit(16, ~0ULL, 8)); });
  add("token_file.count_too_big", [] { TokenFile::open(token_header_edit(16, 101, 8)); });
  add("token_file.zero_vocab", [] { TokenFile::open(token_header_edit(24, 0, 8)); });
  add("token_file.vocab_too_small", [] {
    std::string bytes = read_all(token_file(5, 100));
    testing::put_le(bytes, 24, 3, 8);  // ids 3 and 4 are now outside the vocabulary
    TokenFile::open(file_with("vocab3.tok", bytes));
  });
  add("token_file.width_three", [] { TokenFile::open(token_header_edit(12, 3, 4)); });
  add("token_file.unit_unknown", [] { TokenFile::open(token_header_edit(40, 7, 4)); });
  add("token_file.reserved_set", [] { TokenFile::open(token_header_edit(50, 1, 1)); });
  add("token_file.flipped_payload", [] {
    std::string bytes = read_all(token_file(5, 100));
    bytes[80] ^= 1;
    TokenFile::open(file_with("flip.tok", bytes));
  });
  add("token_file.copy_out_of_range", [] {
    const TokenFile file = TokenFile::open(token_file(5, 100));
    std::vector<std::int32_t> ids(10);
    file.copy_ids(95, 10, ids.data());
  });
  add("token_writer.id_out_of_range", [] {
    TokenFileWriter writer(scratch("w.tok"), 5, TokenUnit::byte);
    writer.append(5);
  });
  add("token_writer.zero_vocab", [] { TokenFileWriter(scratch("w.tok"), 0, TokenUnit::byte); });
  add("split.fraction_one", [] {
    split_token_file(TokenFile::open(token_file(5, 100)), 1.0, scratch("a.tok"), scratch("b.tok"));
  });
  add("split.fraction_nan", [] {
    split_token_file(TokenFile::open(token_file(5, 100)), std::nan(""), scratch("a.tok"),
                     scratch("b.tok"));
  });
  add("split.onto_source", [] {
    const std::string path = token_file(5, 100);
    split_token_file(TokenFile::open(path), 0.1, path, scratch("b.tok"));
  });
  add("vocabulary.bad_escape", [] { read_vocabulary(file_with("v.vocab", "a\n\\q\n")); });
  add("vocabulary.dangling_backslash", [] { read_vocabulary(file_with("v.vocab", "a\nb\\\n")); });
  add("vocabulary.short_hex", [] { read_vocabulary(file_with("v.vocab", "\\x4\n")); });
  add("vocabulary.missing", [] { read_vocabulary(scratch("absent.vocab")); });

  // Corpus tokenizer.
  add("tokenize.output_is_input", [] {
    const std::string corpus = file_with("corpus.txt", "some text\n");
    tokenize_corpus({corpus}, corpus, scratch("v.vocab"));
  });
  add("tokenize.vocab_is_input", [] {
    const std::string corpus = file_with("corpus.txt", "some text\n");
    tokenize_corpus({corpus}, scratch("o.tok"), corpus);
  });
  add("tokenize.same_outputs", [] {
    const std::string corpus = file_with("corpus.txt", "some text\n");
    tokenize_corpus({corpus}, scratch("o.tok"), scratch("o.tok"));
  });
  add("tokenize.missing_input", [] { list_corpus_files({scratch("absent.txt")}); });
  add("tokenize.stdin_twice", [] {
    tokenize_corpus({"-", "-"}, scratch("o.tok"), scratch("o.v"));
  });
  add("tokenize.num_words_for_chars", [] {
    TokenizeOptions options;
    options.num_words = 5;
    tokenize_corpus({file_with("corpus.txt", "abc")}, scratch("o.tok"), scratch("o.v"), options);
  });
  add("tokenize.vocab_folder_missing", [] {
    tokenize_corpus({file_with("corpus.txt", "abc")}, scratch("o.tok"), scratch("no/dir/o.v"));
  });
  add("tokenize.corpus_changes", [] {
    const std::string a = file_with("a.txt", "abcabc"), b = file_with("b.txt", "abc");
    tokenize_corpus({a, b}, scratch("o.tok"), scratch("o.v"), {},
                    [&](int pass, std::uint64_t done, std::uint64_t total) {
                      if (pass == 1 && done == total) std::ofstream(a) << "abcabz";
                    });
  });

  // CSV, text folders and word vectors.
  add("csv.missing", [] { read_csv(scratch("absent.csv")); });
  add("csv.unterminated_quote", [] { parse_csv("a,b\n\"x,1\n"); });
  add("csv.quote_in_field", [] { parse_csv("a,b\nx\"y,1\n"); });
  add("csv.text_after_quote", [] { parse_csv("a,b\n\"x\"y,1\n"); });
  add("csv.ragged_row", [] { parse_csv("a,b\n1,2,3\n"); });
  add("csv.missing_column", [] { parse_csv("a,b\n1,2\n").column("c"); });
  add("text_csv.bad_label", [] { load_text_csv(file_with("l.csv", "text,label\nhi,positive\n")); });
  add("text_csv.label_overflow",
      [] { load_text_csv(file_with("l.csv", "text,label\nhi,99999999999999999999\n")); });
  add("text_csv.unknown_mapped_label", [] {
    CsvTextOptions options;
    options.label_map = {{"pos", 1}};
    load_text_csv(file_with("l.csv", "text,label\nhi,neg\n"), options);
  });
  add("text_directory.missing", [] { load_text_directory(scratch("absent_dir")); });
  add("vectors.not_a_number", [] {
    load_embedding_matrix(file_with("v.txt", "the 0.1 x 0.3\n"), {{"the", 1}});
  });
  add("vectors.ragged", [] {
    load_embedding_matrix(file_with("v.txt", "the 0.1 0.2\ncat 1 2 3\n"), {{"the", 1}});
  });
  add("vectors.wrong_count", [] {
    load_embedding_matrix(file_with("v.vec", "5 2\nthe 1 2\n"), {{"the", 1}});
  });
  add("vectors.nan_value", [] {
    load_embedding_matrix(file_with("v.txt", "the nan 0.2\n"), {{"the", 1}});
  });
  add("vectors.huge_header", [] {
    load_embedding_matrix(file_with("v.vec", "3 99999999999\nthe 1 2\n"), {{"the", 1}});
  });
  add("vectors.missing", [] { load_embedding_matrix(scratch("absent.vec"), {{"the", 1}}); });
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  const auto all = cases();
  if (argc == 2 && std::string(argv[1]) == "--list") {
    for (const auto& entry : all) std::cout << entry.first << "\n";
    return 0;
  }
  if (argc != 2 || all.count(argv[1]) == 0) {
    std::cerr << "usage: cuseq_hostile_cases --list | CASE\n";
    return 2;
  }
  try {
    all.at(argv[1])();
  } catch (const cuseq::Error& error) {
    std::cout << "clean error: " << error.what() << "\n";
    return 0;
  } catch (const std::exception& error) {
    std::cout << "other exception: " << error.what() << "\n";
    return 4;
  }
  std::cout << "accepted\n";
  return 3;
}
