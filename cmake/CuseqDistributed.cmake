# Optional scale-out backends of cuseq's Communicator (layers/distributed/cuseq/communicators.h).
# MPI (CUSEQ_MPI: AUTO = on when find_package(MPI) finds it) and NCCL (built
# when CUDA, MPI and libnccl are all present: MPI hands the NCCL id around).
# File names choose the build: *_with_mpi.cpp / *_without_mpi.cpp and
# *_with_nccl_cuda.cpp / *_without_nccl.cpp (see layers/distributed/CMakeLists.txt).
set(CUSEQ_MPI AUTO CACHE STRING "Build the MPI communicator: AUTO (when MPI is found), ON or OFF")
set_property(CACHE CUSEQ_MPI PROPERTY STRINGS AUTO ON OFF)

set(CUSEQ_WITH_MPI OFF)
if(NOT CUSEQ_MPI STREQUAL "OFF")
  find_package(MPI COMPONENTS CXX QUIET)
  if(MPI_CXX_FOUND)
    set(CUSEQ_WITH_MPI ON)
  elseif(CUSEQ_MPI STREQUAL "ON")
    message(FATAL_ERROR "CUSEQ_MPI=ON but MPI was not found (Debian: libopenmpi-dev openmpi-bin)")
  endif()
endif()

set(CUSEQ_WITH_NCCL OFF)
if(CUSEQ_WITH_CUDA AND NOT CUSEQ_EMULATED_GPU AND CUSEQ_WITH_MPI)
  find_path(CUSEQ_NCCL_INCLUDE_DIR nccl.h
            HINTS ${CUDAToolkit_INCLUDE_DIRS} ${CUDAToolkit_LIBRARY_ROOT}/include)
  find_library(CUSEQ_NCCL_LIBRARY nccl
               HINTS ${CUDAToolkit_LIBRARY_DIR} ${CUDAToolkit_LIBRARY_ROOT}/lib
                     ${CUDAToolkit_LIBRARY_ROOT}/lib64)
  if(CUSEQ_NCCL_INCLUDE_DIR AND CUSEQ_NCCL_LIBRARY)
    set(CUSEQ_WITH_NCCL ON)
  endif()
endif()
message(STATUS "cuseq: MPI communicator ${CUSEQ_WITH_MPI}, NCCL communicator ${CUSEQ_WITH_NCCL}")
