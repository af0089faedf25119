// Built without NCCL (no CUDA, no MPI or no libnccl): GPU tensors can still be
// averaged by the MPI communicator through host copies.
#include "cuseq/communicators.h"
#include "cuseq/error.h"

namespace cuseq {

bool built_with_nccl() { return false; }

std::unique_ptr<Communicator> make_nccl_communicator(Device) {
  fail("make_nccl_communicator",
       "cuseq was built without NCCL (it needs the CUDA backend, MPI and libnccl); use the "
       "\"mpi\" backend instead");
}

}  // namespace cuseq
