// The backend-independent half of Communicator: bucketing, the single-process
// backend, the launcher environment and choosing a backend.
#include "cuseq/distributed.h"

#include <cstdlib>
#include <utility>

#include "cuseq/error.h"

namespace cuseq {
namespace {

constexpr const char* kWhere = "Communicator::all_reduce_mean";

class SingleProcessCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::string backend() const override { return "single"; }
  void broadcast(Tensor& tensor, int root) override {
    check(tensor.defined(), "Communicator::broadcast", "undefined tensor");
    check(root == 0, "Communicator::broadcast", "root ", root, " out of range for 1 process");
  }
  void barrier() override {}

 protected:
  void all_reduce_mean_in_place(Tensor&) override {}
};

// Gathers small tensors of one device and dtype and reduces them as one buffer.
class Bucket {
 public:
  explicit Bucket(std::size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

  bool fits(const Tensor& tensor) const {
    return members_.empty() || (tensor.device() == members_.front()->device() &&
                                tensor.dtype() == members_.front()->dtype() &&
                                bytes_ + tensor.nbytes() <= capacity_bytes_);
  }
  void add(Tensor* tensor) {
    members_.push_back(tensor);
    bytes_ += tensor->nbytes();
  }

  // Flattens the members into one buffer, reduces it with `reduce` and
  // copies the means back; a lone member is reduced where it is.
  template <class Reduce>
  void reduce_and_clear(Reduce&& reduce) {
    if (members_.size() == 1) {
      Tensor flat = members_.front()->reshape({-1});
      reduce(flat);
    } else if (members_.size() > 1) {
      const Tensor& first = *members_.front();
      Tensor buffer =
          Tensor::empty(Shape{static_cast<std::int64_t>(bytes_ / dtype_size(first.dtype()))},
                        first.dtype(), first.device());
      std::int64_t offset = 0;
      for (Tensor* member : members_) {
        buffer.slice(offset, offset + member->numel()).copy_from(member->reshape({-1}));
        offset += member->numel();
      }
      reduce(buffer);
      offset = 0;
      for (Tensor* member : members_) {
        member->copy_from(
            buffer.slice(offset, offset + member->numel()).reshape(member->shape().dims()));
        offset += member->numel();
      }
    }
    members_.clear();
    bytes_ = 0;
  }

 private:
  std::size_t capacity_bytes_;
  std::vector<Tensor*> members_;
  std::size_t bytes_ = 0;
};

int environment_int(const char* const* names, int fallback) {
  for (const char* const* name = names; *name != nullptr; ++name) {
    if (const char* value = std::getenv(*name)) return std::atoi(value);
  }
  return fallback;
}

}  // namespace

void Communicator::set_bucket_bytes(std::size_t bytes) {
  check(bytes > 0, "Communicator::set_bucket_bytes", "the bucket size must be positive");
  bucket_bytes_ = bytes;
}

void Communicator::all_reduce_mean(const std::vector<Tensor*>& tensors) {
  for (const Tensor* tensor : tensors) {
    check(tensor != nullptr && tensor->defined(), kWhere, "undefined tensor");
    check(tensor->dtype() == DType::float32 || tensor->dtype() == DType::float64, kWhere,
          "expected float32 or float64 tensors, got ", tensor->str());
  }
  if (size() == 1) return;
  auto reduce = [this](Tensor& buffer) { all_reduce_mean_in_place(buffer); };
  // Tensors are taken in the order given on every process, so all processes
  // form the same buckets and their collective calls match up.
  Bucket bucket(bucket_bytes_);
  for (Tensor* tensor : tensors) {
    if (tensor->numel() == 0) continue;
    if (!bucket.fits(*tensor)) bucket.reduce_and_clear(reduce);
    if (tensor->nbytes() >= bucket_bytes_) {
      Bucket alone(tensor->nbytes());
      alone.add(tensor);
      alone.reduce_and_clear(reduce);
    } else {
      bucket.add(tensor);
    }
  }
  bucket.reduce_and_clear(reduce);
}

std::unique_ptr<Communicator> make_single_process_communicator() {
  return std::make_unique<SingleProcessCommunicator>();
}

int launcher_world_size() {
  static const char* const kNames[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE",
                                       "SLURM_NTASKS", nullptr};
  return environment_int(kNames, 1);
}

int launcher_local_rank() {
  static const char* const kNames[] = {"OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID",
                                       "SLURM_LOCALID", nullptr};
  return environment_int(kNames, 0);
}

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
