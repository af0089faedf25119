// Helpers shared by the test suites: GPU skips, random inputs, comparisons.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "cuseq/cuseq.h"

// Skips the current test, with the reason, where no GPU can be used. A macro
// because GTEST_SKIP must return from the test body itself.
#define CUSEQ_REQUIRE_GPU()                                                \
  if (!cuseq::cuda_available()) {                                          \
    GTEST_SKIP() << "no usable GPU: " << cuseq::cuda_unavailable_reason(); \
  }

// Skips the current test where cuseq has no cuDNN (CPU-only and emulated-GPU builds).
#define CUSEQ_REQUIRE_CUDNN()                                                                  \
  if (!cuseq::built_with_cudnn()) {                                                            \
    GTEST_SKIP() << "cuseq was built without cuDNN (the emulated GPU does not emulate cuDNN)"; \
  }

namespace cuseq::testing {

// The GPU tests' binary of a CUSEQ_CUDA=EMULATE build, whose GPU is emulated
// on the CPU: tests pick smaller sizes there (still several blocks), and the
// full sizes on a real GPU.
#if defined(CUSEQ_TEST_EMULATED_GPU)
constexpr bool kEmulatedGpu = true;
#else
constexpr bool kEmulatedGpu = false;
#endif

// Deterministic pseudo-random values in [low, high), independent of cuseq's RNG.
inline std::vector<double> random_values(std::size_t count, std::uint64_t seed, double low = -1.0,
                                         double high = 1.0) {
  std::vector<double> values(count);
  std::uint64_t state = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  for (double& value : values) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    value = low + (high - low) * static_cast<double>(state >> 11) / 9007199254740992.0;
  }
  return values;
}

template <class T>
std::vector<T> cast_values(const std::vector<double>& values) {
  return std::vector<T>(values.begin(), values.end());
}

// A tensor of random values of dtype T on `device`.
template <class T>
Tensor random_tensor(const Shape& shape, std::uint64_t seed, Device device = Device::cpu(),
                     double low = -1.0, double high = 1.0) {
  return Tensor::from_vector<T>(
      cast_values<T>(random_values(static_cast<std::size_t>(shape.numel()), seed, low, high)),
      shape, device);
}

// Every element within `tolerance` (absolute plus relative to the expected value).
template <class T, class U>
void expect_all_near(const std::vector<T>& actual, const std::vector<U>& expected, double tolerance,
                     const std::string& what = "") {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const double e = static_cast<double>(expected[i]);
    ASSERT_NEAR(static_cast<double>(actual[i]), e, tolerance * (1.0 + std::fabs(e)))
        << what << " at element " << i;
  }
}

// Runs `body` and checks that it throws a cuseq::Error whose message contains every fragment.
template <class Body>
void expect_error_mentions(Body body, const std::vector<std::string>& fragments) {
  try {
    body();
    ADD_FAILURE() << "expected a cuseq::Error";
  } catch (const Error& error) {
    const std::string message = error.what();
    for (const std::string& fragment : fragments) {
      EXPECT_NE(message.find(fragment), std::string::npos)
          << "message \"" << message << "\" lacks \"" << fragment << "\"";
    }
  }
}

}  // namespace cuseq::testing
