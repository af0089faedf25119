// One training epoch of a small text classifier, as a Keras user times it:
// Embedding(10000, 32) -> {LSTM(32) | Bidirectional(GRU(32)) | Conv1D(64, 5,
// relu) -> GlobalMaxPooling1D} -> Dense(1, sigmoid), Adam, binary
// cross-entropy, accuracy, batch 32, on the first 1,280 training reviews of
// data/small_fine_foods.csv (40 steps; maxlen 100, as imdb_lstm). Each
// iteration is one fit() epoch, timed from on_epoch_begin to on_epoch_end
// after one warm-up epoch. bench/keras_epoch.py times the same models on the
// same ids in Keras 3 (ids_checksum must agree); bench/epoch_compare.py runs
// both, interleaved, and prints the ratios. Run from the repository root or
// set CUSEQ_EPOCH_DATA to the CSV.
#include <chrono>
#include <cstdlib>
#include <memory>

#include "bench_support.h"

namespace cuseq::bench {
namespace {

constexpr int kNumWords = 10000;
constexpr std::int64_t kMaxlen = 100, kRows = 1280, kBatch = 32;

struct Reviews {
  Tensor x, y;
  double ids_checksum = 0;  // bench/keras_epoch.py computes the same sum
};

// Keras' Tokenizer fitted on all training reviews, then the first kRows padded.
const Reviews& reviews() {
  static const Reviews data = [] {
    const char* from_env = std::getenv("CUSEQ_EPOCH_DATA");
    CsvTextOptions options;
    options.text_column = "review";
    options.label_column = "score";
    options.positive_label = "great";
    options.filter_column = "split";
    options.filter_values = {"train"};
    TextDataset train = load_text_csv(from_env ? from_env : "data/small_fine_foods.csv", options);
    Tokenizer tokenizer(kNumWords);
    tokenizer.fit_on_texts(train.texts);
    train.texts.resize(kRows);
    Reviews out;
    out.x = pad_sequences(tokenizer.texts_to_sequences(train.texts), kMaxlen);
    const std::vector<float> labels(train.labels.begin(), train.labels.begin() + kRows);
    out.y = Tensor::from_vector<float>(labels, {kRows, 1});
    const std::vector<std::int32_t> ids = out.x.to_vector<std::int32_t>();
    for (std::size_t i = 0; i < ids.size(); ++i)
      out.ids_checksum += static_cast<double>(ids[i]) * static_cast<double>(i % 997 + 1);
    return out;
  }();
  return data;
}

// Seconds between on_epoch_begin and on_epoch_end of the last epoch.
class EpochTimer : public Callback {
 public:
  void on_epoch_begin(int, Sequential&) override { start_ = std::chrono::steady_clock::now(); }
  void on_epoch_end(int, const EpochLogs&, Sequential&) override {
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  double seconds = 0;

 private:
  std::chrono::steady_clock::time_point start_;
};

enum class Middle { lstm, bidirectional_gru, conv };

Sequential small_classifier(Middle middle, Device device) {
  Sequential model("epoch");
  model.emplace<Embedding>(kNumWords, 32, kMaxlen);
  switch (middle) {
    case Middle::lstm:
      model.emplace<LSTM>(32);
      break;
    case Middle::bidirectional_gru:
      model.emplace<Bidirectional>(std::make_unique<GRU>(32));
      break;
    case Middle::conv:
      model.emplace<Conv1D>(64, 5, "relu");
      model.emplace<GlobalMaxPooling1D>();
      break;
  }
  model.emplace<Dense>(1, "sigmoid");
  model.build({kMaxlen}, DType::float32, device);
  model.compile("adam", "binary_crossentropy", {"accuracy"});
  return model;
}

void BM_Epoch_cuseq(benchmark::State& state) {
  const Device device = device_of(state.range(1));
  if (!prepare_device(state, device)) return;
  const Reviews& data = reviews();
  Sequential model = small_classifier(static_cast<Middle>(state.range(0)), device);
  auto timer = std::make_shared<EpochTimer>();
  FitOptions options;
  options.batch_size = kBatch;
  options.verbose = 0;
  options.callbacks = {timer};
  double loss = 0;
  model.fit(data.x, data.y, options);  // warm-up: buffers, caches, thread pool
  for (auto _ : state) {
    loss = model.fit(data.x, data.y, options)["loss"].back();
    state.SetIterationTime(timer->seconds);
  }
  state.counters["ids_checksum"] = data.ids_checksum;
  state.counters["last_loss"] = loss;
}
BENCHMARK(BM_Epoch_cuseq)
    ->ArgsProduct({{0, 1, 2}, {0, 1}})
    ->ArgNames({"model", "gpu"})
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cuseq::bench
