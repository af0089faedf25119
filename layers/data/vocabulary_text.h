// The text of a vocabulary file (cuseq/token_file.h): one escaped token per
// line. Shared by write_vocabulary and the corpus tokenizer, which writes the
// vocabulary before it publishes the token file.
#pragma once

#include <string>
#include <vector>

namespace cuseq::detail {

std::string vocabulary_text(const std::vector<std::string>& tokens);

}  // namespace cuseq::detail
