// The choice between the standard time loop and the persistent kernels.
#include "cuseq/error.h"
#include "kernels/cpu_isa.h"
#include "kernels/recurrent_persistent.h"

namespace cuseq::detail {

namespace {

// Where an H200 measured the persistent kernels faster than the standard loop
// (bench/results/h200: 1.04-4.9x for forward and training at batch 1 and 8 with
// 256 or 512 units; slower with 1024 units, where the slices of
// recurrent_kernel leave too few blocks per SM). Batches 9-16 are unmeasured.
// The CPU loop (recurrent_persistent_cpu.cpp) measured faster than the
// standard loop with AVX-512 (bench/results/cpu-vm/persistent-cpu: 1.09-1.17x
// on the issue-15 grid); its AVX2 copy (CUSEQ_CPU_LEVEL=avx2 on the same VM)
// 1.2-1.45x slower than the standard loop, which stays there.
bool persistent_measured_faster(const PersistentProblem& problem, Device device) {
  if (device.is_cpu()) return cpu_level() == CpuLevel::avx512;
  return problem.batch <= 8 && problem.units <= 512;
}

std::string ineligibility(const PersistentProblem& problem, Device device, const std::string& op) {
  return on_backend(device, op, [&](auto where) {
    return RecurrentPersistentKernels<decltype(where)>::ineligibility(problem);
  });
}

}  // namespace

bool use_persistent_algorithm(RecurrentAlgorithm algorithm, const PersistentProblem& problem,
                              Device device, const std::string& op) {
  switch (algorithm) {
    case RecurrentAlgorithm::standard:
      return false;
    case RecurrentAlgorithm::automatic:
      return persistent_measured_faster(problem, device) &&
             ineligibility(problem, device, op).empty();
    case RecurrentAlgorithm::persistent:
      break;
  }
  const std::string reason = ineligibility(problem, device, op);
  check(reason.empty(), op, "the persistent recurrent algorithm cannot run here: ", reason,
        " (use RecurrentAlgorithm::standard or automatic)");
  return true;
}

}  // namespace cuseq::detail
