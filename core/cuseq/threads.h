// How many threads the CPU kernels use. cuseq runs its parallel loops on a
// pool of its own: the calling thread takes part, workers sleep when there is
// no work (after a short spin), and a loop never waits for a worker that has
// not started on it, so a loaded machine slows cuseq down by about the share
// of the cores it lost, not by a multiple.
#pragma once

#include "cuseq/export.h"

namespace cuseq {

// Threads a parallel loop may use, the calling one included. The default is
// the environment's CUSEQ_NUM_THREADS, else OMP_NUM_THREADS, else the number of
// CPUs this process may run on (its affinity mask: taskset, cgroup cpusets).
CUSEQ_API int num_threads();
// Sets it (>= 1; 1 runs every loop on the calling thread). Not while another
// thread is inside a cuseq call.
CUSEQ_API void set_num_threads(int threads);

}  // namespace cuseq
