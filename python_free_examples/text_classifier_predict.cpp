// Text classification, the serving program: loads a model and its tokenizer
// (text_classifier_train's, or a model trained in Keras with its Keras
// tokenizer JSON, e.g. python_free_examples/keras_fine_foods/) and prints the
// probability that each review is "great": the arguments, else stdin's lines.
#include <iomanip>
#include <iostream>

#include "cuseq/cuseq.h"

int main(int argc, char** argv) try {
  using namespace cuseq;
  if (argc < 3) {
    std::cerr << "usage: text_classifier_predict MODEL TOKENIZER [TEXT...] (else stdin's lines)\n";
    return 2;
  }
  std::vector<std::string> texts(argv + 3, argv + argc);
  for (std::string line; texts.empty() && std::getline(std::cin, line);) texts.push_back(line);
  Sequential model = load_model(argv[1]);  // cuseq's model file or a Keras .keras file
  const Tokenizer tokenizer = load_tokenizer(argv[2]);
  const Tensor x = pad_sequences(tokenizer.texts_to_sequences(texts), model.input_shape()[0]);
  const std::vector<float> p = model.predict(x).to(Device::cpu()).to_vector<float>();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::cout << std::fixed << std::setprecision(3) << p[i] << (p[i] > 0.5f ? " great " : " other ")
              << texts[i] << "\n";
  }
} catch (const cuseq::Error& error) {
  std::cerr << "error: " << error.what() << "\n";
  return 1;
}
