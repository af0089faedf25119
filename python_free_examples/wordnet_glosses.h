// WordNet glosses labelled by lexicographer file (noun.animal, verb.motion, ...):
// a 45-class document classification data set from Debian's wordnet-base.
#pragma once

#include <string>
#include <vector>

#include "cuseq/cuseq.h"

namespace cuseq::examples {

// WordNet's lexicographer files by number (lexnames(5)): 0 adj.all ... 44 adj.ppl.
const std::vector<std::string>& wordnet_lexnames();

// Reads WordNet data files (wndb(5): data.noun, data.verb, data.adj, data.adv)
// in the order given: one text per synset, its gloss (the part after " | "),
// labelled with the synset's lex_filenum (field 2). The licence lines at the
// top of each file (they start with two spaces) are skipped. A synset line
// without a gloss or with a lex_filenum outside [0, 45) is a cuseq::Error
// naming the file and the line.
TextDataset load_wordnet_glosses(const std::vector<std::string>& data_files);

// data.noun, data.verb, data.adj and data.adv of `directory` (/usr/share/wordnet
// where Debian's wordnet-base puts them).
std::vector<std::string> wordnet_data_files(const std::string& directory);

}  // namespace cuseq::examples
