// Files crafted to pass the checksum with absurd contents: integers beyond
// int64, layers far larger than the weights the file holds, impossible
// checkpoint configurations. Each is a cuseq::Error before any large allocation.
#include <gtest/gtest.h>

#include <cstdio>

#include "forged_file.h"
#include "tiny_checkpoint.h"
#include "token_test_support.h"

namespace cuseq {
namespace {

using testing::encoded;
using testing::expect_error_mentions;
using testing::payload_of;
using testing::read_bytes;
using testing::reframe;
using testing::replace_first;
using testing::temp_path;
using testing::write_bytes;

constexpr std::size_t kModelFields = 4;       // a model file's own header: u32 content kind
constexpr std::size_t kCheckpointFields = 0;  // a checkpoint has none

// Embedding(50, 3) -> Flatten -> Dense(4) -> Dense(1), saved as a model file.
std::string saved_model(const std::string& name) {
  Sequential model;
  model.emplace<Embedding>(50, 3, 6);
  model.emplace<Flatten>();
  model.emplace<Dense>(4, "relu");
  model.emplace<Dense>(1, "sigmoid");
  model.build({6}, DType::float32, Device::cpu());
  const std::string path = temp_path(name);
  model.save(path);
  return path;
}

// The model file at `path` with the first Dense's config value units="4" made `units`.
void forge_units(const std::string& path, const std::string& units) {
  const std::string file = read_bytes(path);
  std::string payload = payload_of(file, kModelFields);
  ASSERT_TRUE(
      replace_first(payload, encoded("units") + encoded("4"), encoded("units") + encoded(units)));
  write_bytes(path, reframe(file, kModelFields, payload));
}

TEST(ForgedModelFile, IntegerBeyondInt64IsAnErrorNamingTheValue) {
  const std::string path = saved_model("forged_units_range.cuseq");
  forge_units(path, "99999999999999999999999");
  expect_error_mentions([&] { load_model(path, Device::cpu()); },
                        {"Dense", "units", "99999999999999999999999"});
  std::remove(path.c_str());
}

TEST(ForgedModelFile, LayerLargerThanTheFileIsRejectedBeforeAllocating) {
  const std::string path = saved_model("forged_units_big.cuseq");
  // kernel [18, 2e6]: 144 MB of float32 (twice, with its gradient) for a file of a few KB.
  forge_units(path, "2000000");
  reset_peak_memory(Device::cpu());
  const std::size_t before = memory_stats(Device::cpu()).bytes_in_use;
  expect_error_mentions([&] { load_model(path, Device::cpu()); }, {path, "float32[18, 2000000]"});
  EXPECT_LT(memory_stats(Device::cpu()).peak_bytes_in_use - before, std::size_t{1} << 20)
      << "load_model allocated the layer before checking the file holds its weights";
  std::remove(path.c_str());
}

TEST(ForgedCheckpoint, ConfigLargerThanTheFileIsRejectedBeforeBuilding) {
  const std::string corpus = temp_path("forged_ckpt.tok");
  testing::write_token_file(corpus, {0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2}, 5);
  const std::string path = temp_path("forged.ckpt");
  testing::save_tiny_checkpoint(TokenFile::open(corpus), 1, path);
  // The config leads the payload: vocab_size, embedding_dim, units (i64 each).
  const std::string file = read_bytes(path);
  std::string payload = payload_of(file, kCheckpointFields);
  testing::put_le(payload, 16, std::int64_t{1} << 40, 8);
  write_bytes(path, reframe(file, kCheckpointFields, payload));
  expect_error_mentions([&] { read_checkpoint_config(path); }, {path, "1099511627776"});
  std::remove(path.c_str());
  std::remove(corpus.c_str());
}

}  // namespace
}  // namespace cuseq
