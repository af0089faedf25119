// The communicators that reach other processes: MPI and NCCL. They live in
// libcuseq_distributed (CMake: find_package(cuseq COMPONENTS distributed) and
// link cuseq::distributed), so that libcuseq itself needs neither library.
//
// Backends: "mpi" (CPU tensors with MPI_Iallreduce; GPU tensors through a host
// copy) and "nccl" (GPU tensors, ncclAllReduce on a communication stream that
// waits for the current one; MPI starts the processes and shares NCCL's unique
// id). MPI and NCCL are optional at build time: built_with_mpi() /
// built_with_nccl() tell, and asking for a backend that was not built throws a
// cuseq::Error saying so.
#pragma once

#include <memory>
#include <string>

#include "cuseq/device.h"
#include "cuseq/distributed.h"
#include "cuseq/export.h"

namespace cuseq {

// MPI_COMM_WORLD (MPI is initialised on first use and finalised at exit when
// cuseq initialised it). Throws when cuseq was built without MPI.
CUSEQ_API std::unique_ptr<Communicator> make_mpi_communicator();
// NCCL over the processes of MPI_COMM_WORLD, for tensors on `device`; rank r
// usually uses GPU r % (GPUs per machine). Throws when built without NCCL.
CUSEQ_API std::unique_ptr<Communicator> make_nccl_communicator(Device device);
// "single", "mpi", "nccl", or "auto": nccl when started by mpirun with more
// than one process, NCCL built and `device` a GPU; mpi when started by mpirun
// with more than one process; single otherwise.
CUSEQ_API std::unique_ptr<Communicator> make_communicator(const std::string& backend = "auto",
                                                          Device device = Device::cpu());

CUSEQ_API bool built_with_mpi();
CUSEQ_API bool built_with_nccl();

}  // namespace cuseq
