// Uses only the installed headers and libcuseq.so.
#include <cuseq/cuseq.h>

#include <iostream>

int main() {
  const cuseq::Tensor x = cuseq::Tensor::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  const cuseq::Tensor total = cuseq::ops::reduce_all(cuseq::Reduction::sum, x);
  std::cout << "cuseq " << cuseq::version() << ": sum = " << total.item() << "\n";
  try {
    cuseq::Shape({2, -1});
  } catch (const cuseq::Error& error) {
    std::cout << "errors cross the library boundary: " << error.what() << "\n";
  }
  return 0;
}
