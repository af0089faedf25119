# ccache, when present, makes rebuilds in CI and on a 2-core machine cheap.
find_program(CUSEQ_CCACHE ccache)
if(CUSEQ_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER ${CUSEQ_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CUSEQ_CCACHE})
  set(CMAKE_CUDA_COMPILER_LAUNCHER ${CUSEQ_CCACHE})
endif()
