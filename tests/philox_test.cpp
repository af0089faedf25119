#include <gtest/gtest.h>

#include "test_support.h"

namespace cuseq {
namespace {

// Known-answer vectors of Philox-4x32-10 from the Random123 distribution
// (tests/kat_vectors) by the authors of Salmon et al., SC'11.
struct KnownAnswer {
  Philox4 counter;
  std::uint32_t key0, key1;
  Philox4 expected;
};

TEST(Philox, MatchesThePublishedKnownAnswerVectors) {
  const KnownAnswer vectors[] = {
      {{{0, 0, 0, 0}}, 0, 0, {{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}}},
      {{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}},
       0xffffffff,
       0xffffffff,
       {{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}}},
      {{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}},
       0xa4093822,
       0x299f31d0,
       {{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}}},
  };
  for (const KnownAnswer& v : vectors) {
    const Philox4 out = philox4x32_10(v.counter, v.key0, v.key1);
    for (int lane = 0; lane < 4; ++lane) EXPECT_EQ(out.v[lane], v.expected.v[lane]) << lane;
  }
}

TEST(Philox, UniformFromBitsCoversZeroToOneExclusive) {
  EXPECT_EQ(uniform_from_bits(0u), 0.0f);
  EXPECT_LT(uniform_from_bits(0xffffffffu), 1.0f);
  EXPECT_GT(uniform_from_bits(0xffffffffu), 0.9999f);
}

TEST(Philox, StreamsAreDistinctAndReproducible) {
  EXPECT_EQ(philox_bits(1, 2, 3), philox_bits(1, 2, 3));
  EXPECT_NE(philox_bits(1, 2, 3), philox_bits(1, 3, 3));
  EXPECT_NE(philox_bits(1, 2, 3), philox_bits(2, 2, 3));
  EXPECT_NE(philox_bits(1, 2, 3), philox_bits(1, 2, 4));
}

TEST(Generator, HandsOutConsecutiveStreamsAndResumesFromACounter) {
  Generator generator(42);
  const Generator::Stream first = generator.next_stream();
  const Generator::Stream second = generator.next_stream();
  EXPECT_EQ(first.seed, 42u);
  EXPECT_EQ(second.stream, first.stream + 1);
  Generator resumed(42);
  resumed.set_counter(1);
  EXPECT_EQ(resumed.next_stream().stream, second.stream);
}

TEST(RandomOps, UniformStaysInRangeWithTheRightMean) {
  Tensor t = Tensor::empty({100000});
  ops::random_uniform(t, -0.05, 0.05, Generator(7).next_stream());
  const std::vector<float> values = t.to_vector<float>();
  double sum = 0;
  for (const float v : values) {
    ASSERT_GE(v, -0.05f);
    ASSERT_LT(v, 0.05f);
    sum += v;
  }
  EXPECT_NEAR(sum / values.size(), 0.0, 0.001);
}

TEST(RandomOps, NormalHasTheRequestedMoments) {
  Tensor t = Tensor::empty({200000}, DType::float64);
  ops::random_normal(t, 1.0, 2.0, Generator(3).next_stream());
  const std::vector<double> values = t.to_vector<double>();
  double sum = 0, squares = 0;
  for (const double v : values) {
    sum += v;
    squares += v * v;
  }
  const double mean = sum / values.size();
  EXPECT_NEAR(mean, 1.0, 0.02);
  EXPECT_NEAR(squares / values.size() - mean * mean, 4.0, 0.05);
}

TEST(RandomOps, SameStreamGivesSameNumbers) {
  Tensor a = Tensor::empty({1000}), b = Tensor::empty({1000});
  ops::random_uniform(a, 0, 1, {5, 9});
  ops::random_uniform(b, 0, 1, {5, 9});
  EXPECT_EQ(a.to_vector<float>(), b.to_vector<float>());
}

}  // namespace
}  // namespace cuseq
