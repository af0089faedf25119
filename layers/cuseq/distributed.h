// Data-parallel training across processes: a Communicator averages gradients
// and shares weights between the R processes of one job (started by mpirun).
//
// Backends: "single" (one process, every call a no-op), "mpi" (CPU tensors
// with MPI_Allreduce; GPU tensors through a host copy) and "nccl" (GPU
// tensors, ncclAllReduce on the current stream; MPI starts the processes and
// shares NCCL's unique id). MPI and NCCL are optional at build time:
// built_with_mpi() / built_with_nccl() tell, and asking for a backend that was
// not built throws a cuseq::Error saying so.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "cuseq/device.h"
#include "cuseq/export.h"
#include "cuseq/tensor.h"

namespace cuseq {

class CUSEQ_API Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual std::string backend() const = 0;  // "single", "mpi" or "nccl"

  // Replaces every tensor by its mean over all processes. Tensors of one
  // device and dtype are packed into buckets of about bucket_bytes() and each
  // bucket is reduced in one call (few large messages instead of many small
  // ones); a tensor as large as a bucket is reduced in place, without a copy.
  // Every process must pass tensors of the same shapes in the same order.
  void all_reduce_mean(const std::vector<Tensor*>& tensors);
  // Copies `tensor` from process `root` into every other process's `tensor`.
  virtual void broadcast(Tensor& tensor, int root) = 0;
  virtual void barrier() = 0;

  std::size_t bucket_bytes() const { return bucket_bytes_; }
  void set_bucket_bytes(std::size_t bytes);

 protected:
  // Sums `buffer` (contiguous, float32 or float64, one device) over all
  // processes, in place, and divides by size().
  virtual void all_reduce_mean_in_place(Tensor& buffer) = 0;

 private:
  std::size_t bucket_bytes_ = std::size_t{25} << 20;  // PyTorch DDP's default bucket
};

// One process: rank 0 of 1.
CUSEQ_API std::unique_ptr<Communicator> make_single_process_communicator();
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
// The process count mpirun (Open MPI, MPICH, Slurm's PMI) announces in the
// environment; 1 when not started by a launcher. Needs no MPI call.
CUSEQ_API int launcher_world_size();
// Likewise the rank of this process on its machine (for picking its GPU); 0 without a launcher.
CUSEQ_API int launcher_local_rank();

}  // namespace cuseq
