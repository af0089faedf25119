// The examples' WordNet gloss loader on small files in wndb(5) format.
#include "wordnet_glosses.h"

#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace cuseq::examples {
namespace {

const std::string kDir = std::string(CUSEQ_TEST_DATA_DIR) + "/wordnet";

TEST(WordnetGlosses, ReadsGlossesAfterTheBarWithTheirLexicographerFile) {
  const TextDataset data = load_wordnet_glosses({kDir + "/data.tiny"});
  ASSERT_EQ(data.texts.size(), 4u);
  EXPECT_EQ(data.texts[0], "something that exists on its own");
  EXPECT_EQ(data.texts[1], "a living organism that feeds and moves; \"the animal ran\"");
  EXPECT_EQ(data.texts[2], "change location; move");
  EXPECT_EQ(data.labels, (std::vector<std::int32_t>{3, 5, 38, 0}));
}

TEST(WordnetGlosses, ConcatenatesFilesInTheOrderGiven) {
  const TextDataset data = load_wordnet_glosses({kDir + "/data.tiny", kDir + "/data.tiny"});
  ASSERT_EQ(data.texts.size(), 8u);
  EXPECT_EQ(data.texts[4], data.texts[0]);
  EXPECT_EQ(data.labels[7], 0);
}

TEST(WordnetGlosses, LexnamesNumberTheFortyFiveLexicographerFiles) {
  const auto& names = wordnet_lexnames();
  ASSERT_EQ(names.size(), 45u);
  EXPECT_EQ(names[3], "noun.Tops");
  EXPECT_EQ(names[5], "noun.animal");
  EXPECT_EQ(names[38], "verb.motion");
  EXPECT_EQ(names[44], "adj.ppl");
}

TEST(WordnetGlosses, LineWithoutGlossNamesFileAndLine) {
  testing::expect_error_mentions([&] { load_wordnet_glosses({kDir + "/data.no_gloss"}); },
                                 {"load_wordnet_glosses", "data.no_gloss:1", "gloss"});
}

TEST(WordnetGlosses, ClassOutsideTheLexicographerFilesIsAnError) {
  testing::expect_error_mentions([&] { load_wordnet_glosses({kDir + "/data.bad_class"}); },
                                 {"data.bad_class:1", "lex_filenum", "\"45\""});
}

TEST(WordnetGlosses, MissingFileSaysWhereToGetWordnet) {
  testing::expect_error_mentions([&] { load_wordnet_glosses({kDir + "/data.absent"}); },
                                 {"data.absent", "wordnet-base"});
}

TEST(WordnetGlosses, DataFilesAreTheFourPartsOfSpeech) {
  EXPECT_EQ(wordnet_data_files("/w"), (std::vector<std::string>{"/w/data.noun", "/w/data.verb",
                                                                "/w/data.adj", "/w/data.adv"}));
}

}  // namespace
}  // namespace cuseq::examples
