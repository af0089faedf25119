# Which instructions libcuseq's CPU code may use (CUSEQ_CPU_ARCH_FLAGS, and
# CUSEQ_CPU_DISPATCH for kernels/cpu_isa.h).
#
# By default the library is portable: compiled for CUSEQ_CPU_BASELINE
# (x86-64-v2: SSE4.2, every x86-64 CPU since about 2009), with the hot loops
# of the CPU kernels also compiled for AVX2 + FMA and for AVX-512 and chosen
# when the library is loaded, so a package built on one machine runs on
# another. CUSEQ_NATIVE=ON compiles everything for the building machine
# (-march=native) instead: for a build that never leaves it.
option(CUSEQ_NATIVE "Compile the CPU code for this machine only (-march=native); not portable" OFF)
set(CUSEQ_CPU_BASELINE "x86-64-v2" CACHE STRING
    "x86-64 level the portable library requires (x86-64, x86-64-v2, x86-64-v3, ...)")

set(CUSEQ_CPU_ARCH_FLAGS "")
set(CUSEQ_CPU_DISPATCH OFF)
if(CUSEQ_NATIVE)
  set(CUSEQ_CPU_ARCH_FLAGS -march=native)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(CUSEQ_CPU_ARCH_FLAGS -march=${CUSEQ_CPU_BASELINE})
  # Copies of the hot loops with GCC target attributes carry the wider variants.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12)
    set(CUSEQ_CPU_DISPATCH ON)
  endif()
endif()
if(CUSEQ_CPU_DISPATCH)
  message(STATUS "cuseq: CPU code for ${CUSEQ_CPU_ARCH_FLAGS}, hot loops also for x86-64-v3 and "
                 "x86-64-v4 (chosen at load time)")
else()
  message(STATUS "cuseq: CPU code for '${CUSEQ_CPU_ARCH_FLAGS}' (the compiler's default when empty)")
endif()
