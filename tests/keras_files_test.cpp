// Keras 3 files in and out. The fixtures in tests/data/keras were written by
// real Keras 3.15 (tools/make_keras_fixtures.sh): each <name>.keras comes with
// <name>.json holding an input and Keras' predictions for it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.h"

namespace cuseq {
namespace {

#define CUSEQ_REQUIRE_KERAS_FILES()                                                  \
  if (!keras_files_supported()) {                                                    \
    GTEST_SKIP() << "this cuseq was built without Keras file support (CUSEQ_KERAS)"; \
  }

const std::string kFixtures = std::string(CUSEQ_TEST_DATA_DIR) + "/keras/";

std::string temporary_path(const std::string& name) {
  return ::testing::TempDir() + "cuseq_keras_" + std::to_string(::getpid()) + "_" + name;
}

Tensor tensor_from_json(const nlohmann::json& entry) {
  const std::vector<std::int64_t> dims = entry.at("shape").get<std::vector<std::int64_t>>();
  if (entry.at("dtype") == "int32") {
    return Tensor::from_vector(entry.at("data").get<std::vector<std::int32_t>>(), Shape(dims));
  }
  const std::vector<double> values = entry.at("data").get<std::vector<double>>();
  return Tensor::from_vector(std::vector<float>(values.begin(), values.end()), Shape(dims));
}

struct KerasCase {
  Tensor input, output;
};

KerasCase keras_case(const std::string& name) {
  std::ifstream file(kFixtures + name + ".json");
  EXPECT_TRUE(file.good()) << "missing fixture " << name << ".json";
  const nlohmann::json fixture = nlohmann::json::parse(file);
  return {tensor_from_json(fixture.at("input")), tensor_from_json(fixture.at("output"))};
}

std::vector<float> host_floats(const Tensor& tensor) {
  return tensor.to(Device::cpu()).to_vector<float>();
}

void expect_predictions_equal(Sequential& model, const KerasCase& expected,
                              const std::string& what) {
  const Tensor predictions = model.predict(expected.input);
  ASSERT_EQ(predictions.shape(), expected.output.shape()) << what;
  testing::expect_all_near(host_floats(predictions), host_floats(expected.output), 2e-6, what);
}

class KerasFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(KerasFixture, LoadedModelPredictsAsKeras) {
  CUSEQ_REQUIRE_KERAS_FILES();
  Sequential model = load_keras(kFixtures + GetParam() + ".keras", Device::cpu());
  expect_predictions_equal(model, keras_case(GetParam()), GetParam());
}

TEST_P(KerasFixture, SaveKerasThenLoadKerasKeepsLayersWeightsAndPredictions) {
  CUSEQ_REQUIRE_KERAS_FILES();
  Sequential model = load_keras(kFixtures + GetParam() + ".keras", Device::cpu());
  const std::string path = temporary_path(std::string(GetParam()) + ".keras");
  save_keras(model, path);
  Sequential again = load_keras(path, Device::cpu());
  std::remove(path.c_str());
  ASSERT_EQ(again.size(), model.size());
  EXPECT_EQ(again.input_shape(), model.input_shape());
  for (std::size_t i = 0; i < model.size(); ++i) {
    EXPECT_EQ(again.layer(i).type(), model.layer(i).type());
    EXPECT_EQ(again.layer(i).name(), model.layer(i).name());
    EXPECT_EQ(again.layer(i).config(), model.layer(i).config()) << model.layer(i).name();
    const std::vector<Tensor> a = model.layer(i).get_weights(), b = again.layer(i).get_weights();
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t w = 0; w < a.size(); ++w) EXPECT_EQ(host_floats(a[w]), host_floats(b[w]));
  }
  expect_predictions_equal(again, keras_case(GetParam()), GetParam());
}

INSTANTIATE_TEST_SUITE_P(KerasFiles, KerasFixture,
                         ::testing::Values("lstm", "gru", "bidirectional", "conv1d", "functional"),
                         [](const auto& info) { return std::string(info.param); });

TEST(KerasFiles, LoadModelReadsADotKerasPathAsKerasDoes) {
  CUSEQ_REQUIRE_KERAS_FILES();
  Sequential model = load_model(kFixtures + "gru.keras", Device::cpu());
  expect_predictions_equal(model, keras_case("gru"), "load_model(gru.keras)");
}

TEST(KerasFiles, FunctionalChainBecomesASequentialWithKerasLayerNames) {
  CUSEQ_REQUIRE_KERAS_FILES();
  Sequential model = load_keras(kFixtures + "functional.keras", Device::cpu());
  std::vector<std::string> types;
  for (std::size_t i = 0; i < model.size(); ++i) types.push_back(model.layer(i).type());
  EXPECT_EQ(types, (std::vector<std::string>{"SimpleRNN", "Dropout", "Conv1D", "Flatten", "Dense",
                                             "Activation", "Dense"}));
  EXPECT_EQ(model.input_shape(), (Shape{7, 3}));
}

TEST(KerasFiles, WeightsFileLoadsIntoTheSameArchitectureBuiltInCuseq) {
  CUSEQ_REQUIRE_KERAS_FILES();
  Sequential model;
  EmbeddingOptions embedding;
  embedding.mask_zero = true;
  model.emplace<Embedding>(30, 6, embedding);
  model.emplace<LSTM>(5);
  model.emplace<Dense>(1, "sigmoid");
  model.build({8}, DType::float32, Device::cpu());
  load_keras_weights(model, kFixtures + "lstm.weights.h5");
  expect_predictions_equal(model, keras_case("lstm"), "lstm.weights.h5");

  const std::string path = temporary_path("lstm.weights.h5");
  save_keras_weights(model, path);
  Sequential copy;
  copy.emplace<Embedding>(30, 6, embedding);
  copy.emplace<LSTM>(5);
  copy.emplace<Dense>(1, "sigmoid");
  copy.build({8}, DType::float32, Device::cpu());
  load_keras_weights(copy, path);
  std::remove(path.c_str());
  expect_predictions_equal(copy, keras_case("lstm"), "saved .weights.h5");
}

TEST(KerasFiles, WeightsOfAnotherArchitectureAreRejectedWithThePath) {
  CUSEQ_REQUIRE_KERAS_FILES();
  Sequential model;
  model.emplace<Embedding>(30, 6);
  model.emplace<LSTM>(7);  // the file's LSTM has 5 units
  model.emplace<Dense>(1);
  model.build({8}, DType::float32, Device::cpu());
  const std::vector<std::vector<Tensor>> before = model.get_weights();
  testing::expect_error_mentions(
      [&] { load_keras_weights(model, kFixtures + "lstm.weights.h5"); },
      {"lstm.weights.h5", "layers/lstm/cell/vars/0", "[6, 20]", "[6, 28]"});
  EXPECT_EQ(host_floats(model.get_weights()[1][0]), host_floats(before[1][0]));
}

// A cuseq model with every layer type Keras has too, trained a little so
// that no weight is at its initial value.
Sequential every_layer_model() {
  Sequential model("every_layer", 21);
  EmbeddingOptions embedding;
  embedding.mask_zero = true;
  model.emplace<Embedding>(40, 8, embedding);
  RecurrentOptions sequences;
  sequences.return_sequences = true;
  model.emplace<Bidirectional>(std::make_unique<GRU>(6, sequences), "sum");
  Conv1DOptions conv;
  conv.padding = "causal", conv.dilation_rate = 2, conv.activation = "relu";
  conv.kernel_regularizer = l2(0.01);
  model.emplace<Conv1D>(5, 3, conv);
  model.emplace<MaxPooling1D>(2, Pooling1DOptions{1, "same", ""});
  model.emplace<AveragePooling1D>(2);
  model.emplace<LSTM>(4, sequences);
  model.emplace<SimpleRNN>(3, sequences);
  model.emplace<GlobalAveragePooling1D>();
  model.emplace<Dropout>(0.3);
  model.emplace<Dense>(4, "tanh");
  model.emplace<ActivationLayer>("relu");
  model.emplace<Dense>(3, "softmax");
  model.build({12}, DType::float32, Device::cpu());
  return model;
}

TEST(KerasFiles, CuseqModelRoundTripsThroughTheKerasFormat) {
  CUSEQ_REQUIRE_KERAS_FILES();
  Sequential model = every_layer_model();
  const Tensor ids = Tensor::from_vector<std::int32_t>(
      {0, 0, 0, 4, 9, 13, 2, 8, 31, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 39}, {2, 12});
  model.compile("adam", "sparse_categorical_crossentropy");
  FitOptions quiet;
  quiet.verbose = 0;
  model.fit(ids, Tensor::from_vector<std::int32_t>({1, 2}, {2}), quiet);
  const std::string path = temporary_path("every_layer.keras");
  save_keras(model, path);
  Sequential again = load_keras(path, Device::cpu());
  std::remove(path.c_str());
  ASSERT_EQ(again.size(), model.size());
  for (std::size_t i = 0; i < model.size(); ++i) {
    EXPECT_EQ(again.layer(i).config(), model.layer(i).config()) << model.layer(i).name();
  }
  EXPECT_EQ(host_floats(again.predict(ids)), host_floats(model.predict(ids)));
}

TEST(KerasFiles, SentimentModelTrainedInKerasServesWithItsKerasTokenizer) {
  CUSEQ_REQUIRE_KERAS_FILES();
  const std::string folder =
      std::string(CUSEQ_PROJECT_DATA_DIR) + "/../python_free_examples/keras_fine_foods/";
  Sequential model = load_keras(folder + "model.keras", Device::cpu());
  const Tokenizer tokenizer = load_tokenizer(folder + "tokenizer.json");
  std::ifstream file(folder + "expected.json");
  const nlohmann::json expected = nlohmann::json::parse(file);
  const auto texts = expected.at("texts").get<std::vector<std::string>>();
  const Tensor ids = pad_sequences(tokenizer.texts_to_sequences(texts), 100);
  EXPECT_EQ(ids.to_vector<std::int32_t>(),
            tensor_from_json(expected.at("ids")).to_vector<std::int32_t>());
  testing::expect_all_near(host_floats(model.predict(ids)),
                           host_floats(tensor_from_json(expected.at("probabilities"))), 2e-6,
                           "probabilities");
  // compile_config: Adam and binary cross-entropy, as the Keras program compiled it.
  ASSERT_TRUE(model.compiled());
  EXPECT_EQ(model.optimizer().name(), "Adam");
  EXPECT_EQ(model.loss().kind, LossKind::binary_crossentropy);
  EXPECT_NEAR(model.optimizer().learning_rate, 0.001, 1e-9);
}

TEST(KerasFiles, LayerCuseqLacksIsNamedWithWhatCuseqReads) {
  CUSEQ_REQUIRE_KERAS_FILES();
  testing::expect_error_mentions(
      [] { load_keras(kFixtures + "functional_unsupported_reshape.keras", Device::cpu()); },
      {"\"reshape\" (Reshape)", "cuseq has no Reshape layer", "Bidirectional"});
}

TEST(KerasFiles, OptionCuseqLacksIsNamedWithItsValue) {
  CUSEQ_REQUIRE_KERAS_FILES();
  testing::expect_error_mentions(
      [] { load_keras(kFixtures + "unsupported_groups.keras", Device::cpu()); },
      {"(Conv1D)", "groups=2", "not supported"});
  testing::expect_error_mentions(
      [] { load_keras(kFixtures + "unsupported_reset_after.keras", Device::cpu()); },
      {"(GRU)", "reset_after=false", "not supported"});
}

TEST(KerasFiles, FilesThatAreNotKerasArchivesAreNamed) {
  CUSEQ_REQUIRE_KERAS_FILES();
  testing::expect_error_mentions([] { load_keras(kFixtures + "lstm.json", Device::cpu()); },
                                 {"lstm.json", "not a zip archive"});
  // The zip of a .keras file cut short.
  std::ifstream whole(kFixtures + "lstm.keras", std::ios::binary);
  std::stringstream bytes;
  bytes << whole.rdbuf();
  const std::string path = temporary_path("truncated.keras");
  std::ofstream(path, std::ios::binary) << bytes.str().substr(0, bytes.str().size() / 2);
  testing::expect_error_mentions([&] { load_keras(path, Device::cpu()); }, {path});
  // Every entry claiming 2 GiB (central directory and local headers agree):
  // refused before allocating.
  std::string lying = bytes.str();
  for (const auto& [header, offset] :
       {std::pair<std::string, std::size_t>{"PK\x01\x02", 24}, {"PK\x03\x04", 22}}) {
    for (std::size_t at = lying.find(header); at != std::string::npos;
         at = lying.find(header, at + 4)) {
      lying.replace(at + offset, 4, std::string("\xff\xff\xff\x7f", 4));
    }
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << lying;
  testing::expect_error_mentions([&] { load_keras(path, Device::cpu()); }, {path, "claims"});
  std::remove(path.c_str());
}

}  // namespace
}  // namespace cuseq
