// Tokenizer <-> Keras' tokenizer JSON (keras.preprocessing.text.Tokenizer.to_json).
#include <limits>
#include <nlohmann/json.hpp>

#include "cuseq/error.h"
#include "cuseq/tokenizer.h"
#include "layers/io/atomic_file.h"
#include "layers/io/read_file.h"

namespace cuseq {
namespace {

// Insertion order matters: word_counts lists words in order of first appearance.
using Json = nlohmann::ordered_json;
constexpr const char* kWhere = "tokenizer_from_json";

std::string dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Keras stores the dictionaries as JSON text inside the JSON; accept objects too.
Json nested(const Json& config, const char* key) {
  check(config.contains(key), kWhere, "the config lacks \"", key, "\"");
  const Json& value = config.at(key);
  if (value.is_object()) return value;
  check(value.is_string(), kWhere, "\"", key, "\" is neither JSON text nor an object");
  try {
    Json parsed = Json::parse(value.get<std::string>());
    check(parsed.is_object(), kWhere, "\"", key, "\" is not a JSON object");
    return parsed;
  } catch (const Json::exception& error) {
    fail(kWhere, "\"", key, "\" is not valid JSON: ", error.what());
  }
}

std::int64_t count_value(const Json& value, const std::string& what) {
  check(value.is_number_integer() && value.get<std::int64_t>() >= 0, kWhere, what,
        " is not a count: ", value.dump());
  return value.get<std::int64_t>();
}

template <class T>
T setting(const Json& config, const char* key, const T& fallback) {
  if (!config.contains(key) || config.at(key).is_null()) return fallback;
  try {
    return config.at(key).get<T>();
  } catch (const Json::exception&) {
    fail(kWhere, "\"", key, "\" has the wrong type: ", config.at(key).dump());
  }
}

}  // namespace

std::string Tokenizer::to_json() const {
  Json word_counts = Json::object(), word_docs = Json::object();
  for (const WordStats& stats : vocabulary_) {
    word_counts[stats.word] = stats.count;
    word_docs[stats.word] = stats.documents;
  }
  Json index_docs = Json::object(), index_word = Json::object(), word_index = Json::object();
  for (std::size_t index = 1; index < index_word_.size(); ++index) {
    const std::string key = std::to_string(index);
    if (index < index_docs_.size() && index_docs_[index] > 0) index_docs[key] = index_docs_[index];
    index_word[key] = index_word_[index];
    word_index[index_word_[index]] = index;
  }
  Json config = Json::object();
  config["num_words"] = num_words_ == 0 ? Json(nullptr) : Json(num_words_);
  config["filters"] = filters_;
  config["lower"] = lower_;
  config["split"] = split_;
  config["char_level"] = char_level_;
  config["oov_token"] = oov_token_.empty() ? Json(nullptr) : Json(oov_token_);
  config["document_count"] = document_count_;
  config["word_counts"] = dump(word_counts);
  config["word_docs"] = dump(word_docs);
  config["index_docs"] = dump(index_docs);
  config["index_word"] = dump(index_word);
  config["word_index"] = dump(word_index);
  return dump(Json{{"class_name", "Tokenizer"}, {"config", config}});
}

Tokenizer Tokenizer::from_json(const std::string& json) {
  Json root;
  try {
    root = Json::parse(json);
  } catch (const Json::exception& error) {
    fail(kWhere, "not valid JSON: ", error.what());
  }
  check(root.is_object() && root.value("class_name", std::string()) == "Tokenizer" &&
            root.contains("config") && root["config"].is_object(),
        kWhere, "expected {\"class_name\": \"Tokenizer\", \"config\": {...}}");
  const Json& config = root["config"];
  const std::int64_t num_words = setting<std::int64_t>(config, "num_words", 0);
  check(num_words >= 0 && num_words <= std::numeric_limits<int>::max(), kWhere,
        "num_words must be null or a count, got ", num_words);
  Tokenizer tokenizer(
      static_cast<int>(num_words), setting<std::string>(config, "filters", kDefaultTextFilters),
      setting<bool>(config, "lower", true), setting<std::string>(config, "split", " "),
      setting<bool>(config, "char_level", false), setting<std::string>(config, "oov_token", ""));
  tokenizer.document_count_ = setting<std::int64_t>(config, "document_count", 0);

  const Json word_docs = nested(config, "word_docs");
  const Json word_counts = nested(config, "word_counts");  // a named object: items() refers to it
  for (const auto& [word, count] : word_counts.items()) {
    WordStats stats{word, count_value(count, "the count of \"" + word + "\""), 0, -1};
    if (word_docs.contains(word)) {
      stats.documents = count_value(word_docs[word], "the documents of \"" + word + "\"");
    }
    tokenizer.vocabulary_position_[word] = tokenizer.vocabulary_.size();
    tokenizer.vocabulary_.push_back(std::move(stats));
  }

  // Keras keeps the saved word_index as it is; so do we. Indices run 1..n.
  const Json word_index = nested(config, "word_index");
  const auto size = static_cast<std::int64_t>(word_index.size());
  tokenizer.index_word_.assign(static_cast<std::size_t>(size) + 1, std::string());
  for (const auto& [word, value] : word_index.items()) {
    check(value.is_number_integer() && value.get<std::int64_t>() >= 1 &&
              value.get<std::int64_t>() <= size,
          kWhere, "word_index gives \"", word, "\" the index ", value.dump(), "; expected 1 to ",
          size);
    const auto index = static_cast<std::size_t>(value.get<std::int64_t>());
    check(tokenizer.index_word_[index].empty(), kWhere, "word_index gives index ", index,
          " to both \"", tokenizer.index_word_[index], "\" and \"", word, "\"");
    tokenizer.index_word_[index] = word;
    tokenizer.word_index_[word] = static_cast<std::int32_t>(index);
  }
  tokenizer.index_docs_.assign(tokenizer.index_word_.size(), 0);
  const Json index_docs = nested(config, "index_docs");
  for (const auto& [key, value] : index_docs.items()) {
    char* end = nullptr;
    const long long index = std::strtoll(key.c_str(), &end, 10);
    check(!key.empty() && *end == '\0' && index >= 1 && index <= size, kWhere,
          "index_docs has the key \"", key, "\"; expected an index from 1 to ", size);
    tokenizer.index_docs_[static_cast<std::size_t>(index)] =
        count_value(value, "index_docs[" + key + "]");
  }
  return tokenizer;
}

Tokenizer tokenizer_from_json(const std::string& json) { return Tokenizer::from_json(json); }

void save_tokenizer(const Tokenizer& tokenizer, const std::string& path) {
  detail::write_file_atomically(path, tokenizer.to_json());
}

Tokenizer load_tokenizer(const std::string& path) {
  try {
    return Tokenizer::from_json(detail::read_file_bytes(path, "load_tokenizer"));
  } catch (const Error& error) {
    const std::string message = error.what();
    if (message.find(path) != std::string::npos) throw;
    fail("load_tokenizer", "\"", path, "\": ", message);
  }
}

}  // namespace cuseq
