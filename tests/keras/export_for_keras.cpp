// Writes cuseq models as .keras files, each with an input and cuseq's
// predictions (<name>.json), for tools/make_keras_fixtures.sh --check to open
// in real Keras: usage cuseq_keras_export OUT_DIR.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "cuseq/cuseq.h"

namespace {

using namespace cuseq;

// Every weight drawn anew (biases too), so that a misplaced one shows.
void randomize(Sequential& model, std::mt19937& engine) {
  std::normal_distribution<float> normal(0.0f, 0.4f);
  std::vector<std::vector<Tensor>> weights = model.get_weights();
  for (auto& layer : weights) {
    for (Tensor& weight : layer) {
      std::vector<float> values(static_cast<std::size_t>(weight.numel()));
      for (float& value : values) value = normal(engine);
      weight = Tensor::from_vector(values, weight.shape());
    }
  }
  model.set_weights(weights);
}

nlohmann::json tensor_json(const Tensor& tensor) {
  const Tensor host = tensor.to(Device::cpu());
  nlohmann::json entry = {{"shape", host.shape().dims()}};
  if (host.dtype() == DType::int32) {
    entry["dtype"] = "int32";
    entry["data"] = host.to_vector<std::int32_t>();
  } else {
    entry["dtype"] = "float32";
    entry["data"] = host.to_vector<float>();
  }
  return entry;
}

Tensor padded_ids(std::mt19937& engine, std::int64_t rows, std::int64_t steps, int vocabulary) {
  std::uniform_int_distribution<int> id(1, vocabulary - 1);
  std::vector<std::int32_t> ids(static_cast<std::size_t>(rows * steps));
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int64_t padding = r % 2 == 0 ? 1 + r % (steps - 2) : 0;  // pad_sequences' zeros
    for (std::int64_t s = 0; s < steps; ++s) ids[r * steps + s] = s < padding ? 0 : id(engine);
  }
  return Tensor::from_vector(ids, {rows, steps});
}

Sequential lstm() {
  Sequential model("cuseq_lstm");
  EmbeddingOptions embedding;
  embedding.mask_zero = true;
  model.emplace<Embedding>(50, 8, embedding);
  model.emplace<LSTM>(6);
  model.emplace<Dense>(1, "sigmoid");
  model.build({10});
  return model;
}

Sequential gru() {
  Sequential model("cuseq_gru");
  model.emplace<Embedding>(50, 8);
  RecurrentOptions sequences, backwards;
  sequences.return_sequences = true;
  backwards.go_backwards = true;
  model.emplace<GRU>(5, sequences);
  model.emplace<GRU>(4, backwards);
  model.emplace<Dense>(3, "softmax");
  model.build({10});
  return model;
}

Sequential bidirectional() {
  Sequential model("cuseq_bidirectional");
  EmbeddingOptions embedding;
  embedding.mask_zero = true;
  model.emplace<Embedding>(50, 8, embedding);
  RecurrentOptions sequences;
  sequences.return_sequences = true;
  model.emplace<Bidirectional>(std::make_unique<LSTM>(4, sequences));
  model.emplace<Bidirectional>(std::make_unique<GRU>(3), "ave");
  model.emplace<Dense>(2);
  model.build({10});
  return model;
}

Sequential conv1d() {
  Sequential model("cuseq_conv1d");
  model.emplace<Embedding>(50, 8);
  Conv1DOptions same, strided, causal;
  same.padding = "same", same.activation = "relu";
  strided.strides = 2;
  causal.padding = "causal", causal.dilation_rate = 2, causal.activation = "tanh";
  model.emplace<Conv1D>(8, 3, same);
  model.emplace<MaxPooling1D>(2);
  model.emplace<Conv1D>(5, 2, strided);
  model.emplace<AveragePooling1D>(2, Pooling1DOptions{std::nullopt, "same", ""});
  model.emplace<Conv1D>(4, 2, causal);
  model.emplace<GlobalMaxPooling1D>();
  model.emplace<Dense>(3, "softmax");
  model.build({16});
  return model;
}

Sequential float_inputs() {
  Sequential model("cuseq_float_inputs");
  RecurrentOptions sequences;
  sequences.return_sequences = true;
  model.emplace<SimpleRNN>(6, sequences);
  model.emplace<Dropout>(0.2);
  model.emplace<Conv1D>(4, 3, "sigmoid");
  model.emplace<GlobalAveragePooling1D>();
  model.emplace<Dense>(5);
  model.emplace<ActivationLayer>("tanh");
  model.emplace<Dense>(1);
  model.build({7, 3});
  return model;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: cuseq_keras_export OUT_DIR\n";
    return 2;
  }
  const std::string out = argv[1];
  std::mt19937 engine(14);
  std::normal_distribution<float> normal;
  std::vector<float> series(4 * 7 * 3);
  for (float& value : series) value = normal(engine);
  const struct {
    const char* name;
    Sequential (*make)();
    Tensor input;
  } cases[] = {{"lstm", lstm, padded_ids(engine, 6, 10, 50)},
               {"gru", gru, padded_ids(engine, 6, 10, 50)},
               {"bidirectional", bidirectional, padded_ids(engine, 6, 10, 50)},
               {"conv1d", conv1d, padded_ids(engine, 5, 16, 50)},
               {"float_inputs", float_inputs, Tensor::from_vector(series, {4, 7, 3})}};
  for (const auto& c : cases) {
    Sequential model = c.make();
    randomize(model, engine);
    save_keras(model, out + "/" + c.name + ".keras");
    std::ofstream(out + "/" + c.name + ".json") << nlohmann::json{
        {"input", tensor_json(c.input)},
        {"output",
         tensor_json(model.predict(c.input))}}.dump();
    std::cout << c.name << ": wrote " << out << "/" << c.name << ".keras\n";
  }
}
