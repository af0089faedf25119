// Keras' to_categorical, used for word- and character-level one-hot encoding.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "cuseq/categorical.h"
#include "cuseq/sequence.h"
#include "cuseq/tokenizer.h"
#include "test_support.h"

namespace cuseq {
namespace {

TEST(ToCategorical, AppendsAClassAxisWithOneAtEachId) {
  const Tensor ids = Tensor::from_vector<std::int32_t>({0, 2, 1, 2}, Shape{2, 2});
  const Tensor one_hot = to_categorical(ids);
  EXPECT_EQ(one_hot.shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(one_hot.dtype(), DType::float32);
  EXPECT_EQ(one_hot.to_vector<float>(), (std::vector<float>{1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1}));
}

TEST(ToCategorical, EncodesCharactersOfPaddedTexts) {
  // The book's character-level one-hot: tokenize characters, pad, expand.
  Tokenizer characters(0, kDefaultTextFilters, true, " ", true);
  characters.fit_on_texts({"abba"});  // a 1, b 2
  const Tensor one_hot =
      to_categorical(pad_sequences(characters.texts_to_sequences({"ab", "b"}), 2), 3);
  EXPECT_EQ(one_hot.shape(), (Shape{2, 2, 3}));
  // "ab" -> [1, 2]; "b" -> [0 (padding), 2].
  EXPECT_EQ(one_hot.to_vector<float>(), (std::vector<float>{0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1}));
}

TEST(ToCategorical, RejectsIdsOutsideTheClassesAndOtherDtypes) {
  const Tensor ids = Tensor::from_vector<std::int32_t>({0, 5}, Shape{2});
  testing::expect_error_mentions([&] { to_categorical(ids, 3); },
                                 {"to_categorical", "id 5", "position 1", "[0, 3)"});
  testing::expect_error_mentions([] { to_categorical(Tensor::zeros(Shape{2})); },
                                 {"to_categorical", "int32"});
}

}  // namespace
}  // namespace cuseq
