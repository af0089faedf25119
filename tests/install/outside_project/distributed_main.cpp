// Uses the installed distributed component: cuseq/communicators.h and
// libcuseq_distributed.so.
#include <cuseq/communicators.h>
#include <cuseq/tensor.h>

#include <iostream>

int main() {
  const auto communicator = cuseq::make_communicator("auto");
  cuseq::Tensor gradient = cuseq::Tensor::from_vector<float>({2, 4}, {2});
  communicator->all_reduce_mean({&gradient});
  std::cout << communicator->backend() << " communicator, " << communicator->size()
            << " process, MPI built: " << cuseq::built_with_mpi()
            << ", mean = " << gradient.to_vector<float>()[1] << "\n";
  return 0;
}
