// Mixed precision on the GPU: the 16-bit casts match the CPU's bit for bit,
// bfloat16/float16 GEMMs match float32 within the formats' rounding, and a
// short language-model run trains like float32.
#include <cmath>
#include <cstdint>

#include "test_support.h"
#include "token_test_support.h"

namespace cuseq {
namespace {

std::vector<std::uint16_t> bits_of(const Tensor& half) {
  const Tensor host = half.to(Device::cpu());
  const auto* begin = static_cast<const std::uint16_t*>(host.raw_data());
  return std::vector<std::uint16_t>(begin, begin + host.numel());
}

TEST(CastGpu, MatchesTheCpuBitForBitBothWays) {
  CUSEQ_REQUIRE_GPU();
  // Magnitudes from float16 subnormals to past its range, both signs.
  std::vector<float> values;
  for (const double v : testing::random_values(4096, 9, -1.0, 1.0))
    values.push_back(
        static_cast<float>(v * std::ldexp(1.0, static_cast<int>(values.size() % 44) - 28)));
  const Tensor x = Tensor::from_vector(values, Shape{64, 64});
  for (DType dtype : {DType::bfloat16, DType::float16}) {
    const Tensor cpu = ops::cast(x, dtype);
    const Tensor gpu = ops::cast(x.to(Device::cuda()), dtype);
    EXPECT_EQ(bits_of(gpu), bits_of(cpu)) << dtype_name(dtype);
    EXPECT_EQ(ops::cast(gpu, DType::float32).to_vector<float>(),
              ops::cast(cpu, DType::float32).to_vector<float>())
        << dtype_name(dtype);
  }
}

struct GemmCase {
  std::int64_t m, n, k;
};

// Row-major op(a) @ op(b) in double from host values.
std::vector<double> reference_gemm(const std::vector<float>& a, bool ta,
                                   const std::vector<float>& b, bool tb, const GemmCase& s,
                                   bool absolute) {
  std::vector<double> c(static_cast<std::size_t>(s.m * s.n), 0.0);
  for (std::int64_t i = 0; i < s.m; ++i)
    for (std::int64_t j = 0; j < s.n; ++j)
      for (std::int64_t p = 0; p < s.k; ++p) {
        const double x = a[ta ? p * s.m + i : i * s.k + p], y = b[tb ? j * s.k + p : p * s.n + j];
        c[i * s.n + j] += absolute ? std::fabs(x * y) : x * y;
      }
  return c;
}

// Under `precision`, c = 0.5 op(a) op(b) + 0.25 c must equal the same GEMM on
// operands rounded to the 16-bit format (float32 accumulation: tight), and the
// float32 GEMM within that format's rounding (loose).
void check_mixed_gemm(GemmPrecision precision, DType half, double unit_roundoff) {
  const std::vector<GemmCase> cases = {{1, 1, 1}, {7, 13, 5}, {64, 128, 96}, {129, 65, 257}};
  std::uint64_t seed = 1;
  for (const GemmCase& s : cases) {
    for (const bool ta : {false, true}) {
      for (const bool tb : {false, true}) {
        const Tensor a =
            testing::random_tensor<float>(ta ? Shape{s.k, s.m} : Shape{s.m, s.k}, ++seed);
        const Tensor b =
            testing::random_tensor<float>(tb ? Shape{s.n, s.k} : Shape{s.k, s.n}, ++seed);
        const Tensor c0 = testing::random_tensor<float>(Shape{s.m, s.n}, ++seed);
        Tensor c = c0.to(Device::cuda());
        {
          const GemmPrecisionGuard guard(precision);
          ops::gemm(a.to(Device::cuda()), ta, b.to(Device::cuda()), tb, c, 0.5, 0.25);
        }
        const std::vector<float> got = c.to_vector<float>();
        const auto rounded = [&](const Tensor& x) {
          return ops::cast(ops::cast(x, half), DType::float32).to_vector<float>();
        };
        const std::vector<double> exact_on_rounded =
            reference_gemm(rounded(a), ta, rounded(b), tb, s, false);
        const std::vector<double> exact =
            reference_gemm(a.to_vector<float>(), ta, b.to_vector<float>(), tb, s, false);
        const std::vector<double> scale =
            reference_gemm(a.to_vector<float>(), ta, b.to_vector<float>(), tb, s, true);
        const std::vector<float> c_before = c0.to_vector<float>();
        for (std::size_t i = 0; i < got.size(); ++i) {
          const double base = 0.25 * c_before[i];
          const double bound = 0.5 * scale[i] + 1e-6;
          ASSERT_NEAR(got[i], 0.5 * exact_on_rounded[i] + base, 1e-5 * bound + 1e-6)
              << gemm_precision_name(precision) << " m" << s.m << " n" << s.n << " k" << s.k
              << " ta " << ta << " tb " << tb << " element " << i;
          ASSERT_NEAR(got[i], 0.5 * exact[i] + base, 2.5 * unit_roundoff * bound)
              << gemm_precision_name(precision) << " vs float32, element " << i;
        }
      }
    }
  }
}

TEST(MixedPrecisionGemm, Bfloat16MatchesFloat32WithinBfloat16Rounding) {
  CUSEQ_REQUIRE_GPU();
  check_mixed_gemm(GemmPrecision::bfloat16, DType::bfloat16, std::ldexp(1.0, -8));
}

TEST(MixedPrecisionGemm, Float16MatchesFloat32WithinFloat16Rounding) {
  CUSEQ_REQUIRE_GPU();
  check_mixed_gemm(GemmPrecision::float16, DType::float16, std::ldexp(1.0, -11));
}

TEST(MixedPrecisionGemm, Float64GemmIgnoresTheSetting) {
  CUSEQ_REQUIRE_GPU();
  const Tensor a = testing::random_tensor<double>(Shape{17, 33}, 3, Device::cuda());
  const Tensor b = testing::random_tensor<double>(Shape{33, 9}, 4, Device::cuda());
  const std::vector<double> plain = ops::matmul(a, b).to_vector<double>();
  const GemmPrecisionGuard guard(GemmPrecision::bfloat16);
  EXPECT_EQ(ops::matmul(a, b).to_vector<double>(), plain);
}

// Losses of `steps` updates of a small LSTM model on the GPU (smaller still
// on the emulated GPU).
std::vector<double> train_losses(const TokenFile& corpus, GemmPrecision precision, int steps) {
  LanguageModelConfig config;
  config.vocab_size = 16;
  config.embedding_dim = 16;
  config.units = testing::kEmulatedGpu ? 32 : 64;
  config.layers = 2;
  LanguageModel model(config, Device::cuda());
  LanguageModelTrainOptions options;
  options.batch_size = 8;
  options.steps_per_window = testing::kEmulatedGpu ? 8 : 16;
  options.learning_rate = 0.01;
  options.global_clipnorm = 5.0;
  options.verbose = 0;
  options.gemm_precision = precision;
  LanguageModelTrainer trainer(model, corpus, options);
  std::vector<double> losses;
  for (int i = 0; i < steps; ++i) losses.push_back(trainer.train_step());
  return losses;
}

double mean_of(const std::vector<double>& values, std::size_t begin, std::size_t end) {
  double sum = 0.0;
  for (std::size_t i = begin; i < end; ++i) sum += values[i];
  return sum / static_cast<double>(end - begin);
}

void check_short_run(GemmPrecision precision) {
  // A learnable sequence: period 11 over 16 ids, with a slow drift.
  const std::string path = testing::temp_path("mixed_precision_lm.tok");
  std::vector<std::uint32_t> ids;
  for (std::uint32_t i = 0; i < 8 * 17 * 40; ++i) ids.push_back((i % 11 + i / 97) % 16);
  testing::write_token_file(path, ids, 16);
  const TokenFile corpus = TokenFile::open(path);
  constexpr int kSteps = 30;
  const std::vector<double> fp32 = train_losses(corpus, GemmPrecision::float32, kSteps);
  const std::vector<double> mixed = train_losses(corpus, precision, kSteps);
  // Both learn: the last 5 steps' mean loss well below the first 5's.
  EXPECT_LT(mean_of(fp32, kSteps - 5, kSteps), 0.8 * mean_of(fp32, 0, 5));
  EXPECT_LT(mean_of(mixed, kSteps - 5, kSteps), 0.8 * mean_of(mixed, 0, 5));
  // The same start (same weights, rounding only), and the same place after 30 steps.
  EXPECT_NEAR(mixed[0], fp32[0], 0.01 * fp32[0]);
  EXPECT_NEAR(mean_of(mixed, kSteps - 5, kSteps), mean_of(fp32, kSteps - 5, kSteps),
              0.05 * mean_of(fp32, kSteps - 5, kSteps) + 0.02);
}

TEST(MixedPrecisionLanguageModel, Bfloat16TrainsLikeFloat32OnAShortRun) {
  CUSEQ_REQUIRE_GPU();
  check_short_run(GemmPrecision::bfloat16);
}

TEST(MixedPrecisionLanguageModel, Float16TrainsLikeFloat32OnAShortRun) {
  CUSEQ_REQUIRE_GPU();
  check_short_run(GemmPrecision::float16);
}

}  // namespace
}  // namespace cuseq
