// The choice between the standard time loop and the persistent kernels.
#include "cuseq/error.h"
#include "kernels/recurrent_persistent_kernels.h"

namespace cuseq::detail {

bool use_persistent_algorithm(RecurrentAlgorithm algorithm, const PersistentProblem& problem,
                              Device device, const std::string& op) {
  // `automatic` stays on the standard loop until a GPU run has measured the
  // persistent kernel faster for batch <= 16 (README, "Recurrent algorithms").
  if (algorithm != RecurrentAlgorithm::persistent) return false;
  const std::string reason = on_backend(device, op, [&](auto where) {
    return RecurrentPersistentKernels<decltype(where)>::ineligibility(problem);
  });
  check(reason.empty(), op, "the persistent recurrent algorithm cannot run here: ", reason,
        " (use RecurrentAlgorithm::standard or automatic)");
  return true;
}

}  // namespace cuseq::detail
