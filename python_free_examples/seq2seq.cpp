// An encoder-decoder LSTM that learns addition from characters, trained by a
// hand-written loop over layers called directly (no Sequential): the way an
// llm.c-style program reads, forward and backward in plain sight.
//
//   "345+27" (reversed, as Sutskever et al. feed the source) -> encoder LSTM -> [h, c]
//   decoder LSTM, initial_state [h, c]: reads "^372", learns to emit "372 "
//   (teacher forcing: the decoder sees the true previous character)
//   Dense(vocabulary) on every step, sparse categorical cross-entropy on logits.
//
// At inference the decoder starts from "^" and feeds back its own argmax
// (greedy decoding). Prints the exact-match accuracy on held-out sums that
// never appear in training, next to the best constant answer's.
#include <algorithm>
#include <array>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cuseq/cuseq.h"
#include "example_args.h"

namespace {

using namespace cuseq;

// Characters of questions and answers; ' ' pads, '^' starts the decoder.
const std::string kAlphabet = " 0123456789+^";
const std::int64_t kVocabulary = static_cast<std::int64_t>(kAlphabet.size());
const std::int32_t kStart = static_cast<std::int32_t>(kAlphabet.find('^'));

std::int32_t id_of(char c) { return static_cast<std::int32_t>(kAlphabet.find(c)); }

// "a+b" questions with a, b of 1..digits digits, and their answers, split so
// that no question of the test set is seen in training.
struct Additions {
  std::int64_t question_length, answer_length;
  std::vector<std::string> train_questions, train_answers, test_questions, test_answers;
};

Additions make_additions(int digits, std::int64_t train_count, std::int64_t test_count,
                         std::uint64_t seed) {
  Additions data{2 * digits + 1, digits + 1, {}, {}, {}, {}};
  std::mt19937_64 engine(seed);
  auto number = [&] {
    std::int64_t limit = 1;
    for (int d = 1 + static_cast<int>(engine() % digits); d > 0; --d) limit *= 10;
    return static_cast<std::int64_t>(engine() % limit);
  };
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  const std::int64_t total = train_count + test_count;
  double pairs = 1.0;
  for (int d = 0; d < 2 * digits; ++d) pairs *= 10.0;
  // Distinct questions are drawn by rejection: keep clear of exhausting them.
  check(static_cast<double>(total) <= 0.9 * pairs, "seq2seq", "--train + --test (", total,
        ") must be at most 90% of the ", pairs, " questions with ", digits, " digits");
  while (static_cast<std::int64_t>(seen.size()) < total) {
    const std::int64_t a = number(), b = number();
    if (!seen.insert({a, b}).second) continue;
    std::string question = std::to_string(a) + "+" + std::to_string(b);
    question.resize(data.question_length, ' ');
    std::reverse(question.begin(), question.end());
    std::string answer = std::to_string(a + b);
    answer.resize(data.answer_length, ' ');
    const bool train = static_cast<std::int64_t>(data.train_questions.size()) < train_count;
    (train ? data.train_questions : data.test_questions).push_back(question);
    (train ? data.train_answers : data.test_answers).push_back(answer);
  }
  return data;
}

// int32 [texts, length] of character ids; with start_token, "^" then the text
// without its last character (the teacher-forced decoder input).
Tensor char_ids(const std::vector<std::string>& texts, std::int64_t length, bool start_token) {
  std::vector<std::int32_t> ids;
  for (const std::string& text : texts) {
    if (start_token) ids.push_back(kStart);
    for (std::int64_t i = 0; i < length - (start_token ? 1 : 0); ++i) ids.push_back(id_of(text[i]));
  }
  return Tensor::from_vector<std::int32_t>(ids, {static_cast<std::int64_t>(texts.size()), length});
}

// Encoder inputs, teacher-forced decoder inputs ("^" + answer without its last
// character) and decoder targets (the answer), as tensors.
struct Batchable {
  Tensor questions;       // int32 [n, question_length]
  Tensor decoder_inputs;  // int32 [n, answer_length]
  Tensor answers;         // int32 [n, answer_length]
};

Batchable encode(const std::vector<std::string>& questions, const std::vector<std::string>& answers,
                 const Additions& shape) {
  return {char_ids(questions, shape.question_length, false),
          char_ids(answers, shape.answer_length, true),
          char_ids(answers, shape.answer_length, false)};
}

// One-hot float32 [batch, steps, vocabulary] on `device`.
Tensor one_hot(const Tensor& ids, Device device) {
  return to_categorical(ids, kVocabulary).to(device);
}

struct EncoderDecoder {
  LSTM encoder;
  LSTM decoder;
  Dense head;
  Device device;

  EncoderDecoder(std::int64_t units, const Additions& shape, Device on, std::uint64_t seed)
      : encoder(units, encoder_options()),
        decoder(units, decoder_options()),
        head(kVocabulary, DenseOptions{"", true, {}, {}, {}, "logits"}),
        device(on) {
    Generator generator(seed);
    encoder.build({shape.question_length, kVocabulary}, DType::float32, device, generator);
    decoder.build({shape.answer_length, kVocabulary}, DType::float32, device, generator);
    head.build({shape.answer_length, units}, DType::float32, device, generator);
  }

  // Keras' LSTM(units, return_state=True): the final [h, c] seed the decoder.
  static RecurrentOptions encoder_options() {
    RecurrentOptions options;
    options.return_state = true;
    options.name = "encoder";
    return options;
  }

  static RecurrentOptions decoder_options() {
    RecurrentOptions options;
    options.return_sequences = true;
    options.return_state = true;
    options.name = "decoder";
    return options;
  }

  std::array<Layer*, 3> layers() { return {&encoder, &decoder, &head}; }

  std::vector<Parameter*> parameters() {
    std::vector<Parameter*> all;
    for (Layer* layer : layers()) {
      const std::vector<Parameter*> own = layer->parameters();
      all.insert(all.end(), own.begin(), own.end());
    }
    return all;
  }

  // One teacher-forced step on a batch; returns the mean per-character loss.
  double train_step(const Tensor& questions, const Tensor& decoder_inputs, const Tensor& answers,
                    Optimizer& optimizer) {
    for (Layer* layer : layers()) layer->zero_grad();
    const ForwardContext training{true, {}};
    const RecurrentResult encoded =
        encoder.forward_with_state(one_hot(questions, device), training);
    const RecurrentResult decoded =
        decoder.forward_with_state(one_hot(decoder_inputs, device), training, encoded.states);
    const Tensor logits = head.forward(decoded.output, training);  // [batch, steps, vocabulary]

    const Tensor d_logits = Tensor::empty(logits.shape(), logits.dtype(), device);
    const double loss = compute_loss(Loss{LossKind::sparse_categorical_crossentropy, true}, logits,
                                     answers.to(device), d_logits);
    const Tensor d_decoded = head.backward(d_logits);
    const RecurrentGradients d_decoder = decoder.backward_with_state(d_decoded);
    // The encoder's only output that matters is its final state.
    encoder.backward_with_state(Tensor(), d_decoder.initial_states);
    optimizer.apply(parameters());
    return loss;
  }

  // Greedy decoding: start from "^", feed back each step's argmax. int32 [batch, answer_length].
  Tensor decode(const Tensor& questions, std::int64_t answer_length) {
    const ForwardContext inference{};
    std::vector<Tensor> states =
        encoder.forward_with_state(one_hot(questions, device), inference).states;
    const std::int64_t batch = questions.dim(0);
    Tensor previous = Tensor::from_vector<std::int32_t>(
        std::vector<std::int32_t>(static_cast<std::size_t>(batch), kStart), {batch, 1});
    std::vector<std::int32_t> decoded(static_cast<std::size_t>(batch * answer_length));
    for (std::int64_t step = 0; step < answer_length; ++step) {
      RecurrentResult out =
          decoder.forward_with_state(one_hot(previous, device), inference, states);
      states = std::move(out.states);
      previous = ops::argmax(head.forward(out.output, inference)).to(Device::cpu());  // [batch, 1]
      const std::vector<std::int32_t> ids = previous.to_vector<std::int32_t>();
      for (std::int64_t row = 0; row < batch; ++row) decoded[row * answer_length + step] = ids[row];
    }
    return Tensor::from_vector<std::int32_t>(decoded, {batch, answer_length});
  }
};

std::string text_of(const std::vector<std::int32_t>& ids, std::int64_t row, std::int64_t length) {
  std::string text;
  for (std::int64_t i = 0; i < length; ++i) text += kAlphabet[ids[row * length + i]];
  return text;
}

// Exact matches of greedy decoding over all rows, in batches; prints a few.
double exact_match(EncoderDecoder& model, const Batchable& data, std::int64_t answer_length,
                   int batch_size, int show) {
  const std::int64_t rows = data.questions.dim(0);
  const std::vector<std::int32_t> truth = data.answers.to_vector<std::int32_t>();
  const std::vector<std::int32_t> questions = data.questions.to_vector<std::int32_t>();
  std::int64_t matches = 0;
  for (std::int64_t begin = 0; begin < rows; begin += batch_size) {
    const std::int64_t end = std::min(rows, begin + batch_size);
    const std::vector<std::int32_t> guess =
        model.decode(data.questions.slice(begin, end), answer_length).to_vector<std::int32_t>();
    for (std::int64_t row = 0; row < end - begin; ++row) {
      const std::string predicted = text_of(guess, row, answer_length);
      const std::string expected = text_of(truth, begin + row, answer_length);
      matches += predicted == expected;
      if (begin + row < show) {
        std::string question = text_of(questions, begin + row, data.questions.dim(1));
        std::reverse(question.begin(), question.end());
        std::cout << "  " << question << " = " << predicted
                  << (predicted == expected ? "  ok" : "  x (")
                  << (predicted == expected ? "" : expected + ")") << "\n";
      }
    }
  }
  return static_cast<double>(matches) / static_cast<double>(rows);
}

// The accuracy of always answering the most common training answer.
double constant_answer_accuracy(const Additions& data) {
  std::map<std::string, std::int64_t> counts;
  for (const std::string& answer : data.train_answers) ++counts[answer];
  const auto best =
      std::max_element(counts.begin(), counts.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  return static_cast<double>(
             std::count(data.test_answers.begin(), data.test_answers.end(), best->first)) /
         static_cast<double>(data.test_answers.size());
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(
      argc, argv,
      "usage: seq2seq [--digits 2] [--train 8000] [--test 1000] [--units 64] [--epochs 30]\n"
      "  [--batch-size 128] [--learning-rate 0.005] [--device cpu|cuda]");
  const int digits = static_cast<int>(args.integer("digits", 2));
  const int epochs = static_cast<int>(args.integer("epochs", 30));
  const int batch_size = static_cast<int>(args.integer("batch-size", 128));
  const std::string device_name = args.text("device", "");
  const Device device = device_name.empty() ? default_device() : Device::parse(device_name);
  std::cout << "cuseq " << version() << " on " << device.str() << "\n";

  const Additions data =
      make_additions(digits, args.integer("train", 8000), args.integer("test", 1000), 2024);
  const Batchable train = encode(data.train_questions, data.train_answers, data);
  const Batchable test = encode(data.test_questions, data.test_answers, data);
  std::cout << train.questions.dim(0) << " training and " << test.questions.dim(0)
            << " held-out additions of numbers with up to " << digits << " digits, e.g. \""
            << data.test_questions.front() << "\" (reversed) -> \"" << data.test_answers.front()
            << "\"\n";

  EncoderDecoder model(args.integer("units", 64), data, device, 7);
  Adam optimizer(args.real("learning-rate", 0.005));
  const std::int64_t rows = train.questions.dim(0);
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    const auto started = std::chrono::steady_clock::now();
    const std::vector<std::int64_t> order = shuffled_indices(rows, 100 + epoch);
    double loss_sum = 0.0;
    std::int64_t batches = 0;
    for (std::int64_t begin = 0; begin < rows; begin += batch_size, ++batches) {
      const std::vector<std::int64_t> rows_of_batch(
          order.begin() + begin, order.begin() + std::min(rows, begin + batch_size));
      loss_sum += model.train_step(take_rows(train.questions, rows_of_batch),
                                   take_rows(train.decoder_inputs, rows_of_batch),
                                   take_rows(train.answers, rows_of_batch), optimizer);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "epoch " << epoch << "/" << epochs << ": loss " << std::fixed
              << std::setprecision(4) << loss_sum / static_cast<double>(batches) << " ("
              << std::setprecision(1) << seconds << " s)"
              << std::endl;  // flushed: progress shows in a log file too
  }
  std::cout << "greedy decoding of held-out questions:\n";
  const double accuracy = exact_match(model, test, data.answer_length, 256, 8);
  std::cout << std::fixed << std::setprecision(3) << "exact-match accuracy on "
            << test.questions.dim(0) << " held-out additions: " << accuracy
            << " (always answering the most common sum: " << constant_answer_accuracy(data)
            << ")\n";
  return 0;
} catch (const cuseq::Error& error) {
  std::cerr << "error: " << error.what() << "\n";
  return 1;
}
