#include "cuseq/bptt_batcher.h"

#include <algorithm>

#include "cuseq/error.h"

namespace cuseq {
namespace {
constexpr const char* kWhere = "BpttBatcher";
}

BpttBatcher::BpttBatcher(const TokenFile& file, std::int64_t global_batch_size, std::int64_t steps,
                         int rank, int num_ranks, Device device)
    : file_(file), global_batch_size_(global_batch_size), steps_(steps), device_(device) {
  check(global_batch_size > 0 && steps > 0, kWhere,
        "batch size and steps must be positive, got batch size ", global_batch_size, " and steps ",
        steps);
  check(num_ranks > 0 && rank >= 0 && rank < num_ranks, kWhere, "rank ", rank, " out of range for ",
        num_ranks, " ranks");
  check(global_batch_size % num_ranks == 0, kWhere, "the global batch size ", global_batch_size,
        " must be a multiple of the number of ranks ", num_ranks);
  local_batch_size_ = global_batch_size / num_ranks;
  first_stream_ = rank * local_batch_size_;
  stream_length_ = static_cast<std::int64_t>(file.count()) / global_batch_size;
  windows_per_epoch_ = stream_length_ > 0 ? (stream_length_ - 1) / steps : 0;
  check(windows_per_epoch_ > 0, kWhere, file.path(), " holds ", file.count(),
        " tokens: too few for one window of ", steps, " steps (plus one target) in each of ",
        global_batch_size, " streams");
}

void BpttBatcher::set_position(const BpttPosition& position) {
  check(position.epoch >= 0 && position.window >= 0 && position.window < windows_per_epoch_, kWhere,
        "position (epoch ", position.epoch, ", window ", position.window,
        ") out of range: an epoch has ", windows_per_epoch_, " windows");
  position_ = position;
}

BpttBatch BpttBatcher::next() {
  BpttBatch batch;
  batch.epoch = position_.epoch;
  batch.window = position_.window;
  const Shape shape{local_batch_size_, steps_};
  Tensor inputs = Tensor::empty(shape, DType::int32);
  Tensor targets = Tensor::empty(shape, DType::int32);
  std::int32_t* in = inputs.data<std::int32_t>();
  std::int32_t* out = targets.data<std::int32_t>();
  // Per stream: decode T ids into the inputs row; the targets row is the same
  // ids one step on, so copy it from there and decode only the last one.
  for (std::int64_t b = 0; b < local_batch_size_; ++b) {
    const auto begin = static_cast<std::uint64_t>((first_stream_ + b) * stream_length_ +
                                                  position_.window * steps_);
    std::int32_t* input_row = in + b * steps_;
    std::int32_t* target_row = out + b * steps_;
    file_.copy_ids(begin, static_cast<std::uint64_t>(steps_), input_row);
    std::copy(input_row + 1, input_row + steps_, target_row);
    file_.copy_ids(begin + static_cast<std::uint64_t>(steps_), 1, target_row + steps_ - 1);
  }
  batch.inputs = device_.is_cpu() ? inputs : inputs.to(device_);
  batch.targets = device_.is_cpu() ? targets : targets.to(device_);
  if (++position_.window == windows_per_epoch_) {
    position_.window = 0;
    ++position_.epoch;
  }
  return batch;
}

}  // namespace cuseq
