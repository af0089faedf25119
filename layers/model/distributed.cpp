// The backend-independent half of Communicator: bucketing (GradientReducer),
// the single-process backend and the launcher environment.
#include "cuseq/distributed.h"

#include <algorithm>
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
  void start_all_reduce_mean_in_place(Tensor&) override {}
  void finish_all_reduces() override {}
};

void check_reducible(const std::vector<Tensor*>& tensors, const char* where) {
  for (const Tensor* tensor : tensors) {
    check(tensor != nullptr && tensor->defined(), where, "undefined tensor");
    check(tensor->dtype() == DType::float32 || tensor->dtype() == DType::float64, where,
          "expected float32 or float64 tensors, got ", tensor->str());
  }
}

Tensor flat(const Tensor& tensor) { return tensor.reshape({-1}); }

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
  check_reducible(tensors, kWhere);
  GradientReducer reducer(*this, tensors);
  reducer.wait_all();
}

GradientReducer::GradientReducer(Communicator& communicator, const std::vector<Tensor*>& tensors)
    : communicator_(communicator) {
  check_reducible(tensors, "GradientReducer");
  if (communicator.size() == 1) return;
  // Tensors are taken in the order given on every process, so all processes
  // form the same buckets and their collective calls match up. Small tensors
  // of one device and dtype share a bucket (few large messages instead of
  // many small ones); one as large as a bucket is reduced alone, in place.
  const std::size_t capacity = communicator.bucket_bytes();
  auto fits = [&](const Bucket& bucket, const Tensor& tensor) {
    const Tensor& first = *bucket.members.front();
    return tensor.device() == first.device() && tensor.dtype() == first.dtype() &&
           bucket.bytes + tensor.nbytes() <= capacity;
  };
  bool last_is_open = false;  // whether the last bucket still takes small tensors
  for (Tensor* tensor : tensors) {
    if (tensor->numel() == 0) continue;
    const bool alone = tensor->nbytes() >= capacity;
    if (alone || !last_is_open || !fits(buckets_.back(), *tensor)) buckets_.emplace_back();
    last_is_open = !alone;
    Bucket& bucket = buckets_.back();
    bucket.members.push_back(tensor);
    bucket.bytes += tensor->nbytes();
    ++bucket.not_ready;
    bucket_of_.emplace_back(tensor, buckets_.size() - 1);
  }
}

GradientReducer::~GradientReducer() {
  if (next_bucket_ > 0 && !finished_) {
    try {
      communicator_.finish_all_reduces();
    } catch (...) {  // already unwinding from another error, or shutting down
    }
  }
}

void GradientReducer::mark_ready(const std::vector<Tensor*>& tensors) {
  for (const Tensor* tensor : tensors) {
    if (communicator_.size() == 1 || tensor->numel() == 0) continue;
    const auto entry = std::find_if(bucket_of_.begin(), bucket_of_.end(),
                                    [&](const auto& e) { return e.first == tensor; });
    check(entry != bucket_of_.end(), "GradientReducer::mark_ready",
          "a tensor that was not given to this reducer: ", tensor->str());
    Bucket& bucket = buckets_[entry->second];
    check(entry->second >= next_bucket_ && bucket.not_ready > 0, "GradientReducer::mark_ready",
          "tensor ", tensor->str(), " was marked ready twice");
    --bucket.not_ready;
  }
  start_ready_buckets();
}

// Buckets start in their planned order on every process, whatever order the
// tensors were marked in, so the collectives match up across processes.
void GradientReducer::start_ready_buckets() {
  while (next_bucket_ < buckets_.size() && buckets_[next_bucket_].not_ready == 0) {
    start(buckets_[next_bucket_++]);
  }
}

void GradientReducer::start(Bucket& bucket) {
  if (bucket.members.size() == 1) {
    bucket.buffer = flat(*bucket.members.front());
  } else {
    const Tensor& first = *bucket.members.front();
    bucket.buffer =
        Tensor::empty(Shape{static_cast<std::int64_t>(bucket.bytes / dtype_size(first.dtype()))},
                      first.dtype(), first.device());
    std::int64_t offset = 0;
    for (const Tensor* member : bucket.members) {
      bucket.buffer.slice(offset, offset + member->numel()).copy_from(flat(*member));
      offset += member->numel();
    }
  }
  communicator_.start_all_reduce_mean_in_place(bucket.buffer);
}

void GradientReducer::wait_all() {
  check(!finished_, "GradientReducer::wait_all", "called twice");
  for (Bucket& bucket : buckets_) bucket.not_ready = 0;
  start_ready_buckets();
  finished_ = true;
  if (buckets_.empty()) return;
  communicator_.finish_all_reduces();
  for (Bucket& bucket : buckets_) {
    if (bucket.members.size() == 1) continue;  // reduced where it lives
    std::int64_t offset = 0;
    for (Tensor* member : bucket.members) {
      member->copy_from(
          bucket.buffer.slice(offset, offset + member->numel()).reshape(member->shape().dims()));
      offset += member->numel();
    }
    bucket.buffer = Tensor();
  }
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

}  // namespace cuseq
