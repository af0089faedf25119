// Which copy of the CPU kernels' inner loops runs (cuseq/cpu_kernels.h). The
// ctests CpuLevel.* run the whole CPU suite again with CUSEQ_CPU_LEVEL set:
// this test checks that they do run the copy they ask for.
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "test_support.h"

namespace cuseq {
namespace {

TEST(CpuKernels, LevelIsACopyAndFollowsCuseqCpuLevel) {
  const std::string level = cpu_kernel_level();
  if (level == "single") GTEST_SKIP() << "this build has one copy of the CPU loops";
  const std::vector<std::string> levels = {"baseline", "avx2", "avx512"};
  const auto rank = [&](const std::string& name) {
    return std::find(levels.begin(), levels.end(), name) - levels.begin();
  };
  ASSERT_LT(rank(level), 3) << level;
  const char* cap = std::getenv("CUSEQ_CPU_LEVEL");
  if (cap == nullptr) return;
  // The level asked for, or a lower one where the CPU lacks it.
  EXPECT_LE(rank(level), rank(cap)) << "CUSEQ_CPU_LEVEL=" << cap << " ran " << level;
  if (std::string(cap) == "baseline") EXPECT_EQ(level, "baseline");
}

}  // namespace
}  // namespace cuseq
