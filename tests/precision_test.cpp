// The GEMM precision policy (cuseq/precision.h) and the 16-bit casts
// (cuseq/cast_ops.h) on the CPU, where GEMMs always stay float32.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <thread>

#include "test_support.h"
#include "token_test_support.h"

namespace cuseq {
namespace {

std::vector<std::uint16_t> bits_of(const Tensor& half) {
  std::vector<std::uint16_t> bits(static_cast<std::size_t>(half.numel()));
  std::memcpy(bits.data(), half.raw_data(), bits.size() * sizeof(std::uint16_t));
  return bits;
}

std::vector<std::uint16_t> cast_bits(const std::vector<float>& values, DType dtype) {
  const Tensor x = Tensor::from_vector(values, Shape{static_cast<std::int64_t>(values.size())});
  return bits_of(ops::cast(x, dtype));
}

Tensor half_tensor(const std::vector<std::uint16_t>& bits, DType dtype) {
  Tensor half = Tensor::empty(Shape{static_cast<std::int64_t>(bits.size())}, dtype);
  std::memcpy(half.raw_data(), bits.data(), bits.size() * sizeof(std::uint16_t));
  return half;
}

TEST(GemmPrecision, GuardsSetAndRestoreTheThreadsPrecisionWhenNested) {
  EXPECT_EQ(gemm_precision(), GemmPrecision::float32);
  {
    const GemmPrecisionGuard outer(GemmPrecision::bfloat16);
    EXPECT_EQ(gemm_precision(), GemmPrecision::bfloat16);
    {
      const GemmPrecisionGuard inner(GemmPrecision::float16);
      EXPECT_EQ(gemm_precision(), GemmPrecision::float16);
    }
    EXPECT_EQ(gemm_precision(), GemmPrecision::bfloat16);
  }
  EXPECT_EQ(gemm_precision(), GemmPrecision::float32);
}

TEST(GemmPrecision, IsPerThread) {
  const GemmPrecisionGuard guard(GemmPrecision::bfloat16);
  GemmPrecision seen_by_other_thread = GemmPrecision::bfloat16;
  std::thread other([&] { seen_by_other_thread = gemm_precision(); });
  other.join();
  EXPECT_EQ(seen_by_other_thread, GemmPrecision::float32);
  EXPECT_EQ(gemm_precision(), GemmPrecision::bfloat16);
}

TEST(GemmPrecision, ParsesShortAndLongNames) {
  EXPECT_EQ(gemm_precision_from_name("bf16"), GemmPrecision::bfloat16);
  EXPECT_EQ(gemm_precision_from_name("fp16"), GemmPrecision::float16);
  EXPECT_EQ(gemm_precision_from_name("fp32"), GemmPrecision::float32);
  for (GemmPrecision p : {GemmPrecision::float32, GemmPrecision::bfloat16, GemmPrecision::float16})
    EXPECT_EQ(gemm_precision_from_name(gemm_precision_name(p)), p);
  testing::expect_error_mentions([] { gemm_precision_from_name("int8"); },
                                 {"gemm precision", "int8", "bf16"});
}

TEST(GemmPrecision, CpuGemmStaysFloat32UnderEveryGuard) {
  const std::int64_t m = 5, k = 37, n = 6;
  for (const bool ta : {false, true}) {
    for (const bool tb : {false, true}) {
      const Tensor a = testing::random_tensor<float>(ta ? Shape{k, m} : Shape{m, k}, 1);
      const Tensor b = testing::random_tensor<float>(tb ? Shape{n, k} : Shape{k, n}, 2);
      const std::vector<float> av = a.to_vector<float>(), bv = b.to_vector<float>();
      std::vector<double> reference(static_cast<std::size_t>(m * n), 0.0);
      for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < n; ++j)
          for (std::int64_t p = 0; p < k; ++p)
            reference[i * n + j] += static_cast<double>(av[ta ? p * m + i : i * k + p]) *
                                    bv[tb ? j * k + p : p * n + j];
      const std::vector<float> plain = ops::matmul(a, b, ta, tb).to_vector<float>();
      for (GemmPrecision p : {GemmPrecision::bfloat16, GemmPrecision::float16}) {
        const GemmPrecisionGuard guard(p);
        const std::vector<float> guarded = ops::matmul(a, b, ta, tb).to_vector<float>();
        EXPECT_EQ(guarded, plain) << gemm_precision_name(p) << " ta " << ta << " tb " << tb;
        // float32 accuracy: a bfloat16 or float16 GEMM would be ~1e-2 off.
        testing::expect_all_near(guarded, reference, 1e-5);
      }
    }
  }
}

TEST(GemmPrecision, LanguageModelTrainingOnCpuIsUnchangedByMixedPrecision) {
  const std::string path = testing::temp_path("precision_lm.tok");
  std::vector<std::uint32_t> ids;
  for (std::uint32_t i = 0; i < 300; ++i) ids.push_back((i * 7 + i / 5) % 6);
  testing::write_token_file(path, ids, 6);
  const TokenFile corpus = TokenFile::open(path);
  LanguageModelConfig config;
  config.vocab_size = 6;
  config.embedding_dim = 4;
  config.units = 8;
  config.layers = 1;
  std::vector<double> losses[2];
  for (int run = 0; run < 2; ++run) {
    LanguageModel model(config, Device::cpu());
    LanguageModelTrainOptions options;
    options.batch_size = 2;
    options.steps_per_window = 5;
    options.verbose = 0;
    options.gemm_precision = run == 0 ? GemmPrecision::float32 : GemmPrecision::bfloat16;
    LanguageModelTrainer trainer(model, corpus, options);
    for (int step = 0; step < 3; ++step) losses[run].push_back(trainer.train_step());
    EXPECT_EQ(gemm_precision(), GemmPrecision::float32) << "train_step restores the precision";
  }
  EXPECT_EQ(losses[0], losses[1]);
}

TEST(Cast, Bfloat16RoundsToNearestEven) {
  const float one = 1.0f;
  const std::vector<std::uint16_t> bits =
      cast_bits({one, std::ldexp(1.0f, -8) + one, 3 * std::ldexp(1.0f, -8) + one,
                 std::ldexp(1.0f, -8) + std::ldexp(1.0f, -20) + one, -2.0f,
                 std::numeric_limits<float>::max(), 0.0f},
                DType::bfloat16);
  EXPECT_EQ(bits[0], 0x3F80);  // 1
  EXPECT_EQ(bits[1], 0x3F80);  // tie between 1 and 1 + 2^-7: even
  EXPECT_EQ(bits[2], 0x3F82);  // tie between 1 + 2^-7 and 1 + 2^-6: even
  EXPECT_EQ(bits[3], 0x3F81);  // just past the tie
  EXPECT_EQ(bits[4], 0xC000);  // -2
  EXPECT_EQ(bits[5], 0x7F80);  // past the largest bfloat16: inf
  EXPECT_EQ(bits[6], 0x0000);
}

TEST(Cast, Float16RoundsToNearestEvenWithSubnormalsAndInfinity) {
  const std::vector<std::uint16_t> bits =
      cast_bits({1.0f, 65504.0f, 65519.0f, 65520.0f, std::ldexp(1.0f, -14), std::ldexp(1.0f, -24),
                 std::ldexp(1.0f, -25), 1.5f * std::ldexp(1.0f, -25), 1.0f + std::ldexp(1.0f, -11),
                 1.0f + 3 * std::ldexp(1.0f, -11), -0.0f, 0.1f, std::ldexp(3.0f, -16)},
                DType::float16);
  EXPECT_EQ(bits[0], 0x3C00);   // 1
  EXPECT_EQ(bits[1], 0x7BFF);   // the largest float16
  EXPECT_EQ(bits[2], 0x7BFF);   // below the tie with 65536
  EXPECT_EQ(bits[3], 0x7C00);   // the tie: inf
  EXPECT_EQ(bits[4], 0x0400);   // the smallest normal
  EXPECT_EQ(bits[5], 0x0001);   // the smallest subnormal
  EXPECT_EQ(bits[6], 0x0000);   // half of it: a tie, to zero (even)
  EXPECT_EQ(bits[7], 0x0001);   // past that tie
  EXPECT_EQ(bits[8], 0x3C00);   // tie between 1 and 1 + 2^-10: even
  EXPECT_EQ(bits[9], 0x3C02);   // tie between 1 + 2^-10 and 1 + 2^-9: even
  EXPECT_EQ(bits[10], 0x8000);  // -0
  EXPECT_EQ(bits[11], 0x2E66);  // 0.1
  EXPECT_EQ(bits[12], 0x0300);  // 3 x 2^-16 = 768 x 2^-24, subnormal
}

TEST(Cast, NanStaysNan) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (DType dtype : {DType::bfloat16, DType::float16}) {
    const Tensor back = ops::cast(
        ops::cast(Tensor::from_vector(std::vector<float>{nan}, Shape{1}), dtype), DType::float32);
    EXPECT_TRUE(std::isnan(back.to_vector<float>()[0])) << dtype_name(dtype);
  }
}

TEST(Cast, EveryFloat16ValueWidensExactlyAndRoundsBackToItself) {
  std::vector<std::uint16_t> all;
  std::vector<double> expected;
  for (std::uint32_t h = 0; h < 0x10000; ++h) {
    const std::uint32_t exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
    if (exponent == 0x1F) continue;  // inf and NaN: covered above
    const double magnitude =
        exponent == 0 ? std::ldexp(mantissa, -24) : std::ldexp(1024 + mantissa, int(exponent) - 25);
    all.push_back(static_cast<std::uint16_t>(h));
    expected.push_back((h & 0x8000) ? -magnitude : magnitude);
  }
  const Tensor wide = ops::cast(half_tensor(all, DType::float16), DType::float32);
  const std::vector<float> values = wide.to_vector<float>();
  for (std::size_t i = 0; i < values.size(); ++i)
    ASSERT_EQ(static_cast<double>(values[i]), expected[i]) << "bits " << all[i];
  EXPECT_EQ(bits_of(ops::cast(wide, DType::float16)), all);
}

TEST(Cast, EveryBfloat16ValueRoundsBackToItself) {
  std::vector<std::uint16_t> all;
  for (std::uint32_t h = 0; h < 0x10000; ++h)
    if (((h >> 7) & 0xFF) != 0xFF) all.push_back(static_cast<std::uint16_t>(h));
  const Tensor wide = ops::cast(half_tensor(all, DType::bfloat16), DType::float32);
  EXPECT_EQ(bits_of(ops::cast(wide, DType::bfloat16)), all);
  EXPECT_EQ(wide.to_vector<float>()[0x3F80], 1.0f);
}

TEST(Cast, RejectsOtherDtypePairsAndShapes) {
  const Tensor x = Tensor::zeros(Shape{2, 3});
  testing::expect_error_mentions([&] { ops::cast(x, DType::float64); },
                                 {"cast", "float32 -> bfloat16/float16", "float64[2, 3]"});
  Tensor wrong = Tensor::empty(Shape{3, 2}, DType::bfloat16);
  testing::expect_error_mentions([&] { ops::cast(x, wrong); }, {"cast", "out"});
}

}  // namespace
}  // namespace cuseq
