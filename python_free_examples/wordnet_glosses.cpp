#include "wordnet_glosses.h"

#include <fstream>
#include <sstream>

namespace cuseq::examples {
namespace {

constexpr const char* kWhere = "load_wordnet_glosses";

// A synset line: "<offset> <lex_filenum> <ss_type> ... | <gloss>".
void add_synset(const std::string& line, const std::string& where, TextDataset& data) {
  const std::size_t bar = line.find(" | ");
  check(bar != std::string::npos, kWhere, where, ": expected a gloss after \" | \"");
  std::istringstream fields(line.substr(0, bar));
  std::string offset, lex_filenum;
  fields >> offset >> lex_filenum;
  int label = -1;
  try {
    std::size_t used = 0;
    label = std::stoi(lex_filenum, &used);
    if (used != lex_filenum.size()) label = -1;
  } catch (const std::exception&) {
    label = -1;
  }
  const int classes = static_cast<int>(wordnet_lexnames().size());
  check(label >= 0 && label < classes, kWhere, where, ": expected a lex_filenum in [0, ", classes,
        ") in field 2, got \"", lex_filenum, "\"");
  std::string gloss = line.substr(bar + 3);
  gloss.erase(gloss.find_last_not_of(" \r\n") + 1);
  data.texts.push_back(std::move(gloss));
  data.labels.push_back(label);
}

}  // namespace

const std::vector<std::string>& wordnet_lexnames() {
  static const std::vector<std::string> names = {
      "adj.all",          "adj.pert",           "adv.all",
      "noun.Tops",        "noun.act",           "noun.animal",
      "noun.artifact",    "noun.attribute",     "noun.body",
      "noun.cognition",   "noun.communication", "noun.event",
      "noun.feeling",     "noun.food",          "noun.group",
      "noun.location",    "noun.motive",        "noun.object",
      "noun.person",      "noun.phenomenon",    "noun.plant",
      "noun.possession",  "noun.process",       "noun.quantity",
      "noun.relation",    "noun.shape",         "noun.state",
      "noun.substance",   "noun.time",          "verb.body",
      "verb.change",      "verb.cognition",     "verb.communication",
      "verb.competition", "verb.consumption",   "verb.contact",
      "verb.creation",    "verb.emotion",       "verb.motion",
      "verb.perception",  "verb.possession",    "verb.social",
      "verb.stative",     "verb.weather",       "adj.ppl"};
  return names;
}

TextDataset load_wordnet_glosses(const std::vector<std::string>& data_files) {
  TextDataset data;
  for (const std::string& path : data_files) {
    std::ifstream in(path);
    check(in.good(), kWhere, "cannot open ", path,
          " (Debian: apt-get install wordnet-base, or pass --wordnet DIR)");
    std::string line;
    for (std::int64_t number = 1; std::getline(in, line); ++number) {
      if (line.empty() || line.rfind("  ", 0) == 0) continue;  // licence header
      add_synset(line, path + ":" + std::to_string(number), data);
    }
  }
  return data;
}

std::vector<std::string> wordnet_data_files(const std::string& directory) {
  std::vector<std::string> files;
  for (const char* part : {"noun", "verb", "adj", "adv"}) {
    files.push_back(directory + "/data." + part);
  }
  return files;
}

}  // namespace cuseq::examples
