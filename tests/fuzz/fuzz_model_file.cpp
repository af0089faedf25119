// Fuzzes the model-file readers: load_model and Sequential::load_weights.
// Input: one mode byte, then bytes. Mode 0: the bytes are the whole file.
// Modes 1 and 2: the bytes are a payload of a model (1) or weights (2), framed
// here with a valid header and CRC-32 so mutations reach the payload's parser.
#include "cuseq/cuseq.h"
#include "forged_file.h"
#include "fuzz_input.h"

namespace {

using namespace cuseq;

// The file format's header: magic, version 1, u32 content kind, u64 size, u32 CRC.
std::string framed(std::uint32_t content, const std::string& payload) {
  std::string header = std::string("cuseqmdl") + std::string(20, '\0');
  testing::put_le(header, 8, 1, 4);
  testing::put_le(header, 12, content, 4);
  return testing::reframe(header, 4, payload);
}

Sequential& reference_model() {
  static Sequential model = [] {
    Sequential m;
    m.emplace<Embedding>(20, 3, 4);
    m.emplace<Flatten>();
    m.emplace<Dense>(2, "relu");
    m.build({4}, DType::float32, Device::cpu());
    return m;
  }();
  return model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string path = fuzz::scratch_path("model.cuseq");
  fuzz::write_file(path, data[0] % 3 == 0 ? bytes : framed(data[0] % 3, bytes));
  fuzz::refuse_cleanly([&] {
    Sequential model = load_model(path, Device::cpu());
    (void)model.count_params();
  });
  fuzz::refuse_cleanly([&] { reference_model().load_weights(path); });
  return 0;
}
