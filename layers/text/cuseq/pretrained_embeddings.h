// Pretrained word vectors (GloVe or word2vec/fastText text format) turned
// into an Embedding weight matrix for a tokenizer's word_index, as in the
// Keras guide "Using pre-trained word embeddings".
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "cuseq/export.h"
#include "cuseq/tensor.h"
#include "cuseq/tokenizer.h"

namespace cuseq {

struct EmbeddingMatrix {
  Tensor weights;                // float32 [num_words, dim] on the CPU
  std::int64_t dim = 0;          // vector length found in the file
  std::int64_t words_found = 0;  // rows filled from the file; the others are zero
};

// Reads `path`: one "word v1 ... vdim" line per word, separated by spaces or
// tabs (GloVe); a first line of two integers "count dim" (word2vec / fastText
// .vec) is recognised and skipped, and the file must then hold `count`
// vectors. Row i of the result is the vector of the word whose index is i;
// words of the file absent from word_index, and indices >= num_words, are
// skipped. num_words = 0 means the largest index + 1. A word listed twice
// keeps its last vector. Throws cuseq::Error naming the file and line for a
// line with the wrong number of values or a value that is not a number.
CUSEQ_API EmbeddingMatrix load_embedding_matrix(
    const std::string& path, const std::unordered_map<std::string, std::int32_t>& word_index,
    std::int64_t num_words = 0);

// The same for a fitted tokenizer: its word_index, and its num_words (or its
// whole vocabulary when num_words is 0).
CUSEQ_API EmbeddingMatrix load_embedding_matrix(const std::string& path,
                                                const Tokenizer& tokenizer);

}  // namespace cuseq
