// Data-parallel training across processes: a Communicator averages gradients
// and shares weights between the R processes of one job (started by mpirun).
//
// This header and libcuseq hold the interface and the "single" backend (one
// process, every call a no-op). The backends that talk to other processes,
// "mpi" and "nccl", live in the distributed component so that programs that
// train in one process never load MPI or NCCL: cuseq/communicators.h, library
// cuseq::distributed (find_package(cuseq COMPONENTS distributed)).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cuseq/device.h"
#include "cuseq/export.h"
#include "cuseq/tensor.h"

namespace cuseq {

class GradientReducer;

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
  // (GradientReducer below does the same while a backward pass still runs.)
  void all_reduce_mean(const std::vector<Tensor*>& tensors);
  // Copies `tensor` from process `root` into every other process's `tensor`.
  virtual void broadcast(Tensor& tensor, int root) = 0;
  virtual void barrier() = 0;

  std::size_t bucket_bytes() const { return bucket_bytes_; }
  void set_bucket_bytes(std::size_t bytes);

 protected:
  // Starts summing `buffer` (contiguous, float32 or float64, one device) over
  // all processes, in place, and dividing by size(); calls start in the same
  // order on every process. The caller keeps `buffer` alive and leaves it
  // alone until finish_all_reduces() has returned; from then on the means are
  // there (on a GPU: for work queued afterwards on the current stream).
  virtual void start_all_reduce_mean_in_place(Tensor& buffer) = 0;
  virtual void finish_all_reduces() = 0;

 private:
  friend class GradientReducer;
  std::size_t bucket_bytes_ = std::size_t{25} << 20;  // PyTorch DDP's default bucket
};

// Averages gradients over the processes while the backward pass still runs
// (PyTorch DDP's overlap). `tensors` are given in the order their values become
// final (backward order: the last layer's parameters first), the same on every
// process, and packed into buckets as all_reduce_mean packs them. Each bucket
// starts reducing, in order, as soon as all its members are marked ready;
// wait_all() starts the rest and returns once every tensor holds its mean.
class CUSEQ_API GradientReducer {
 public:
  GradientReducer(Communicator& communicator, const std::vector<Tensor*>& tensors);
  // Waits for what was started (collectives must not be left half done).
  ~GradientReducer();
  GradientReducer(const GradientReducer&) = delete;
  GradientReducer& operator=(const GradientReducer&) = delete;

  // These tensors are final: no more writes until wait_all() returns.
  void mark_ready(const std::vector<Tensor*>& tensors);
  void wait_all();
  // Buckets whose reduction has started (for tests and progress reports).
  std::size_t started_buckets() const { return next_bucket_; }
  std::size_t bucket_count() const { return buckets_.size(); }

 private:
  struct Bucket {
    std::vector<Tensor*> members;
    std::size_t bytes = 0;
    std::size_t not_ready = 0;
    Tensor buffer;  // what is being reduced: the packed members, or a lone member itself
  };
  void start_ready_buckets();
  void start(Bucket& bucket);

  Communicator& communicator_;
  std::vector<Bucket> buckets_;
  std::vector<std::pair<const Tensor*, std::size_t>> bucket_of_;  // tensor -> bucket index
  std::size_t next_bucket_ = 0;
  bool finished_ = false;
};

// One process: rank 0 of 1.
CUSEQ_API std::unique_ptr<Communicator> make_single_process_communicator();
// The process count mpirun (Open MPI, MPICH, Slurm's PMI) announces in the
// environment; 1 when not started by a launcher. Needs no MPI call.
CUSEQ_API int launcher_world_size();
// Likewise the rank of this process on its machine (for picking its GPU); 0 without a launcher.
CUSEQ_API int launcher_local_rank();

}  // namespace cuseq
