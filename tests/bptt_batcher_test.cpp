// BPTT batches against a reference computed here from the raw id list.
#include <algorithm>
#include <cstdio>
#include <fstream>

#include "token_test_support.h"

namespace cuseq {
namespace {

using testing::temp_path;

// A token file holding 0, 1, 2, ... (mod vocab): every id tells its position.
class BpttBatcherTest : public ::testing::Test {
 protected:
  void SetUp() override { make_corpus(1003); }
  void TearDown() override { std::remove(path_.c_str()); }

  void make_corpus(std::size_t count) {
    ids_.resize(count);
    for (std::size_t i = 0; i < count; ++i)
      ids_[i] = static_cast<std::uint32_t>((i * 7919) % 60000);
    testing::write_token_file(path_, ids_, 60000);
    file_ = std::make_unique<TokenFile>(TokenFile::open(path_));
  }

  // Reference: stream b of B starts at b * (N / B); window w covers T steps.
  std::vector<std::int32_t> expected(std::int64_t batch, std::int64_t steps, std::int64_t window,
                                     std::int64_t first_row, std::int64_t rows, int shift) const {
    const std::int64_t length = static_cast<std::int64_t>(ids_.size()) / batch;
    std::vector<std::int32_t> out;
    for (std::int64_t b = first_row; b < first_row + rows; ++b) {
      for (std::int64_t t = 0; t < steps; ++t) {
        out.push_back(static_cast<std::int32_t>(ids_[b * length + window * steps + t + shift]));
      }
    }
    return out;
  }

  std::string path_ = temp_path("bptt.tok");
  std::vector<std::uint32_t> ids_;
  std::unique_ptr<TokenFile> file_;
};

TEST_F(BpttBatcherTest, WindowsFollowEachStreamAndTargetsAreInputsShiftedByOne) {
  BpttBatcher batcher(*file_, 4, 10);
  EXPECT_EQ(batcher.stream_length(), 250);
  EXPECT_EQ(batcher.windows_per_epoch(), 24);  // (250 - 1) / 10
  for (std::int64_t w = 0; w < 3; ++w) {
    const BpttBatch batch = batcher.next();
    EXPECT_EQ(batch.inputs.shape(), (Shape{4, 10}));
    EXPECT_EQ(batch.inputs.dtype(), DType::int32);
    EXPECT_EQ(batch.window, w);
    EXPECT_EQ(batch.inputs.to_vector<std::int32_t>(), expected(4, 10, w, 0, 4, 0));
    EXPECT_EQ(batch.targets.to_vector<std::int32_t>(), expected(4, 10, w, 0, 4, 1));
  }
}

TEST_F(BpttBatcherTest, LastWindowTargetStaysInsideItsStreamThenANewEpochStarts) {
  BpttBatcher batcher(*file_, 4, 83);  // (250 - 1) / 83 = 3 windows, the last ends at token 249
  for (int w = 0; w < 2; ++w) batcher.next();
  const BpttBatch last = batcher.next();
  EXPECT_EQ(last.targets.to_vector<std::int32_t>(), expected(4, 83, 2, 0, 4, 1));
  const BpttBatch first = batcher.next();
  EXPECT_TRUE(first.starts_epoch());
  EXPECT_EQ(first.epoch, 1);
  EXPECT_EQ(first.inputs.to_vector<std::int32_t>(), expected(4, 83, 0, 0, 4, 0));
}

TEST_F(BpttBatcherTest, RestoredPositionGivesIdenticalNextBatches) {
  BpttBatcher original(*file_, 4, 10);
  for (int i = 0; i < 30; ++i) original.next();  // into the second epoch
  const BpttPosition saved = original.position();
  EXPECT_EQ(saved, (BpttPosition{1, 6}));
  BpttBatcher resumed(*file_, 4, 10);
  resumed.set_position(saved);
  for (int i = 0; i < 25; ++i) {
    const BpttBatch a = original.next();
    const BpttBatch b = resumed.next();
    ASSERT_EQ(a.inputs.to_vector<std::int32_t>(), b.inputs.to_vector<std::int32_t>());
    ASSERT_EQ(a.targets.to_vector<std::int32_t>(), b.targets.to_vector<std::int32_t>());
    ASSERT_EQ(a.epoch, b.epoch);
  }
}

TEST_F(BpttBatcherTest, RanksTogetherReadExactlyTheGlobalBatch) {
  const int ranks = 3;
  BpttBatcher whole(*file_, 6, 7);
  std::vector<BpttBatcher> parts;
  for (int r = 0; r < ranks; ++r) parts.emplace_back(*file_, 6, 7, r, ranks);
  for (int step = 0; step < 5; ++step) {
    std::vector<std::int32_t> stacked;
    for (BpttBatcher& part : parts) {
      EXPECT_EQ(part.local_batch_size(), 2);
      const auto rows = part.next().inputs.to_vector<std::int32_t>();
      stacked.insert(stacked.end(), rows.begin(), rows.end());
    }
    EXPECT_EQ(stacked, whole.next().inputs.to_vector<std::int32_t>()) << "step " << step;
  }
  EXPECT_EQ(parts[2].first_stream(), 4);
}

TEST_F(BpttBatcherTest, RejectsBatchesThatDoNotSplitOrFit) {
  testing::expect_error_mentions([&] { BpttBatcher(*file_, 5, 10, 0, 2); },
                                 {"BpttBatcher", "multiple", "2"});
  testing::expect_error_mentions([&] { BpttBatcher(*file_, 100, 10); },
                                 {"BpttBatcher", "1003 tokens", "too few"});
  BpttBatcher batcher(*file_, 4, 10);
  testing::expect_error_mentions(
      [&] {
        batcher.set_position({0, 24});
      },
      {"window 24", "24 windows"});
}

// Anonymous memory (heap) of this process, in kB, from /proc/self/status.
long anonymous_rss_kb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("RssAnon:", 0) == 0) return std::stol(line.substr(8));
  }
  return -1;
}

TEST(BpttBatcherMemory, ReadingA200MBCorpusKeepsMemoryFlat) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer holds freed memory in quarantine, so resident memory "
                  "grows by design; the uninstrumented build checks this";
#endif
  // 100 M two-byte ids written per the documented header: a sparse file of
  // zeros, so the test spends no time generating it.
  const std::string path = temp_path("large.tok");
  const std::uint64_t count = 100'000'000;
  std::string header(kTokenFileHeaderBytes, '\0');
  header.replace(0, 8, "CUSEQTOK");
  header[8] = 1;
  header[12] = 2;
  for (int b = 0; b < 8; ++b) header[16 + b] = static_cast<char>(count >> (8 * b));
  header[24] = 1;
  {
    std::ofstream out(path, std::ios::binary);
    out << header;
    out.seekp(static_cast<std::streamoff>(kTokenFileHeaderBytes + 2 * count - 1));
    out.put('\0');
  }
  const TokenFile file = TokenFile::open(path, {/*verify_checksum=*/false});
  BpttBatcher batcher(file, 1000, 1000);
  const long start = anonymous_rss_kb();
  ASSERT_GT(start, 0);
  // malloc keeps some freed batches around at first (glibc's adaptive
  // thresholds), so measure growth after a warm-up quarter of the corpus: the
  // remaining 150 MB must not add memory.
  const std::int64_t windows = batcher.windows_per_epoch();
  std::int64_t seen = 0;
  long warm = 0;
  long peak = 0;
  for (std::int64_t w = 0; w < windows; ++w) {
    seen += batcher.next().inputs.numel();
    if (w == windows / 4) warm = anonymous_rss_kb();
    if (w > windows / 4) peak = std::max(peak, anonymous_rss_kb());
  }
  EXPECT_GE(seen, 99'000'000);
  EXPECT_LT(peak - warm, 16 * 1024) << "anonymous memory grew from " << warm << " kB to " << peak;
  EXPECT_LT(peak - start, 100 * 1024)
      << "anonymous memory grew from " << start << " kB to " << peak;
  std::remove(path.c_str());
}

}  // namespace
}  // namespace cuseq
