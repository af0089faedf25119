// Chooses a communicator backend by name, or from how the process was started.
#include "cuseq/communicators.h"
#include "cuseq/error.h"

namespace cuseq {

std::unique_ptr<Communicator> make_communicator(const std::string& backend, Device device) {
  if (backend == "single") return make_single_process_communicator();
  if (backend == "mpi") return make_mpi_communicator();
  if (backend == "nccl") return make_nccl_communicator(device);
  check(backend == "auto", "make_communicator", "unknown backend \"", backend,
        "\" (expected auto, single, mpi or nccl)");
  if (launcher_world_size() <= 1) return make_single_process_communicator();
  if (device.is_cuda() && built_with_nccl()) return make_nccl_communicator(device);
  return make_mpi_communicator();
}

}  // namespace cuseq
