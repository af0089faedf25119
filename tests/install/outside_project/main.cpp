// Uses only the installed headers and libcuseq.so.
#include <cuseq/cuseq.h>

#include <iostream>

int main(int argc, char** argv) {
  const cuseq::Tensor x = cuseq::Tensor::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  const cuseq::Tensor total = cuseq::ops::reduce_all(cuseq::Reduction::sum, x);
  std::cout << "cuseq " << cuseq::version() << ": sum = " << total.item() << "\n";
  try {
    cuseq::Shape({2, -1});
  } catch (const cuseq::Error& error) {
    std::cout << "errors cross the library boundary: " << error.what() << "\n";
  }
  // JSON, HDF5 and libzip are libcuseq's private dependencies: nothing here needs their headers.
  cuseq::Tokenizer tokenizer;
  tokenizer.fit_on_texts({"a b b"});
  std::cout << "tokenizer JSON round trip: "
            << cuseq::tokenizer_from_json(tokenizer.to_json()).word_index().size() << " words\n";
  if (cuseq::keras_files_supported()) {
    cuseq::Sequential model;
    model.emplace<cuseq::Dense>(2, "relu");
    model.build({3}, cuseq::DType::float32, cuseq::Device::cpu());
    const std::string path = std::string(argc > 1 ? argv[1] : ".") + "/outside.keras";
    cuseq::save_keras(model, path);
    std::cout << "Keras file round trip: "
              << cuseq::load_keras(path, cuseq::Device::cpu()).layer(0).type() << "\n";
  }
  return 0;
}
