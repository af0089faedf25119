// Keras' pad_sequences: shapes, sides, value and argument errors.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "cuseq/sequence.h"
#include "test_support.h"

namespace cuseq {
namespace {

using Ids = std::vector<std::int32_t>;
const std::vector<Ids> kKerasExample = {{1}, {2, 3}, {4, 5, 6}};

TEST(PadSequences, DefaultsPadAtTheStartToTheLongestWithZeros) {
  const Tensor padded = pad_sequences(kKerasExample);
  EXPECT_EQ(padded.dtype(), DType::int32);
  EXPECT_EQ(padded.shape(), (Shape{3, 3}));
  EXPECT_EQ(padded.to_vector<std::int32_t>(), (Ids{0, 0, 1, 0, 2, 3, 4, 5, 6}));
}

TEST(PadSequences, UsesTheGivenValue) {
  EXPECT_EQ(pad_sequences(kKerasExample, std::nullopt, "pre", "pre", -1).to_vector<std::int32_t>(),
            (Ids{-1, -1, 1, -1, 2, 3, 4, 5, 6}));
}

TEST(PadSequences, PostPaddingPutsValuesAfter) {
  EXPECT_EQ(pad_sequences(kKerasExample, std::nullopt, "post").to_vector<std::int32_t>(),
            (Ids{1, 0, 0, 2, 3, 0, 4, 5, 6}));
}

TEST(PadSequences, PreTruncatingKeepsTheEnd) {
  const Tensor padded = pad_sequences(kKerasExample, 2);
  EXPECT_EQ(padded.shape(), (Shape{3, 2}));
  EXPECT_EQ(padded.to_vector<std::int32_t>(), (Ids{0, 1, 2, 3, 5, 6}));
}

TEST(PadSequences, PostTruncatingKeepsTheStart) {
  EXPECT_EQ(pad_sequences(kKerasExample, 2, "pre", "post").to_vector<std::int32_t>(),
            (Ids{0, 1, 2, 3, 4, 5}));
}

TEST(PadSequences, EmptySequencesBecomeAllPadding) {
  EXPECT_EQ(pad_sequences({{}, {7}}, 3, "post").to_vector<std::int32_t>(), (Ids{0, 0, 0, 7, 0, 0}));
}

TEST(PadSequences, RejectsUnknownSidesAndNonPositiveMaxlen) {
  testing::expect_error_mentions([] { pad_sequences(kKerasExample, 2, "left"); },
                                 {"pad_sequences", "padding", "left"});
  testing::expect_error_mentions([] { pad_sequences(kKerasExample, 2, "pre", "middle"); },
                                 {"pad_sequences", "truncating", "middle"});
  testing::expect_error_mentions([] { pad_sequences(kKerasExample, 0); },
                                 {"pad_sequences", "maxlen", "got 0"});
}

}  // namespace
}  // namespace cuseq
