// The example of README.md, compiled with every build so that it stays true.
#include <cuseq/cuseq.h>

#include <iostream>

int main() {
  using namespace cuseq;
  CsvTextOptions csv;  // data/small_fine_foods.csv: review text, score great/other
  csv.text_column = "review", csv.label_column = "score", csv.positive_label = "great";
  const TextDataset reviews = load_text_csv("data/small_fine_foods.csv", csv);
  Tokenizer tokenizer(10000);  // the 10,000 most frequent words
  tokenizer.fit_on_texts(reviews.texts);
  const Tensor x = pad_sequences(tokenizer.texts_to_sequences(reviews.texts), 100);
  const Tensor y =
      Tensor::from_vector<float>({reviews.labels.begin(), reviews.labels.end()}, {x.dim(0), 1});
  Sequential model;
  model.emplace<Embedding>(10000, 16, 100);
  model.emplace<LSTM>(32);
  model.emplace<Dense>(1, "sigmoid");
  model.build({100});  // on the GPU when one is usable
  model.compile("rmsprop", "binary_crossentropy", {"accuracy"});
  model.summary(std::cout);
  FitOptions options;
  options.epochs = 3, options.validation_split = 0.2;
  model.fit(x, y, options).plot_svg("curves.svg");
}
