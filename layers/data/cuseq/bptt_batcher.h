// Batches for truncated backpropagation through time over a token file.
//
// The corpus of N tokens is cut into B (the global batch size) contiguous
// streams of L = N / B tokens; stream b starts at token b * L. Window w of
// an epoch holds, for every stream, inputs = tokens [b*L + w*T, b*L + w*T + T)
// and targets = the same tokens shifted by one, so row b of consecutive
// batches continues the same text: a stateful RNN carries its hidden state
// from one window to the next and resets it when an epoch starts. An epoch has
// (L - 1) / T windows (the last target stays inside the stream).
//
// Data-parallel training: with R ranks, rank r reads the streams
// [r * B/R, (r+1) * B/R), so the R local batches, stacked in rank order, are
// exactly the global batch one process would read.
#pragma once

#include <cstdint>
#include <vector>

#include "cuseq/device.h"
#include "cuseq/export.h"
#include "cuseq/tensor.h"
#include "cuseq/token_file.h"

namespace cuseq {

// Where the batcher stands: saved in checkpoints, restored to resume exactly.
struct BpttPosition {
  std::int64_t epoch = 0;
  std::int64_t window = 0;  // the next window to read, in [0, windows_per_epoch)
  bool operator==(const BpttPosition& other) const {
    return epoch == other.epoch && window == other.window;
  }
};

struct BpttBatch {
  Tensor inputs;   // int32 [local batch, T]
  Tensor targets;  // int32 [local batch, T]
  std::int64_t epoch = 0;
  std::int64_t window = 0;
  bool starts_epoch() const { return window == 0; }  // reset recurrent states
};

class CUSEQ_API BpttBatcher {
 public:
  // `file` must outlive the batcher. Throws cuseq::Error when B is not a
  // multiple of num_ranks or the corpus is too short for one window.
  BpttBatcher(const TokenFile& file, std::int64_t global_batch_size, std::int64_t steps,
              int rank = 0, int num_ranks = 1, Device device = Device::cpu());

  // The batch at position(), then advances (into the next epoch after the last window).
  BpttBatch next();

  BpttPosition position() const { return position_; }
  void set_position(const BpttPosition& position);

  std::int64_t windows_per_epoch() const { return windows_per_epoch_; }
  std::int64_t stream_length() const { return stream_length_; }
  std::int64_t global_batch_size() const { return global_batch_size_; }
  std::int64_t local_batch_size() const { return local_batch_size_; }
  std::int64_t first_stream() const { return first_stream_; }  // this rank's first global stream
  std::int64_t steps() const { return steps_; }

 private:
  const TokenFile& file_;
  std::int64_t global_batch_size_;
  std::int64_t steps_;
  std::int64_t local_batch_size_;
  std::int64_t first_stream_;
  std::int64_t stream_length_;
  std::int64_t windows_per_epoch_;
  Device device_;
  BpttPosition position_;
};

}  // namespace cuseq
