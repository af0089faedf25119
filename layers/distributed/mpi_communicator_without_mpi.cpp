// Built without MPI: only the single-process communicator exists.
#include "cuseq/communicators.h"
#include "cuseq/error.h"

namespace cuseq {

bool built_with_mpi() { return false; }

std::unique_ptr<Communicator> make_mpi_communicator() {
  fail("make_mpi_communicator",
       "cuseq was built without MPI; install an MPI (Debian: libopenmpi-dev openmpi-bin) and "
       "reconfigure with -DCUSEQ_MPI=ON");
}

}  // namespace cuseq
