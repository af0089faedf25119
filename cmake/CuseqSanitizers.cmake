# CUSEQ_SANITIZE: ASan + UBSan on host code. Device code is checked separately
# with compute-sanitizer (tools/gpu_check.sh).
if(CUSEQ_SANITIZE)
  set(CUSEQ_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
                            -fno-sanitize-recover=undefined)
  foreach(flag IN LISTS CUSEQ_SANITIZER_FLAGS)
    add_compile_options($<$<COMPILE_LANGUAGE:CXX>:${flag}>)
  endforeach()
  add_link_options(${CUSEQ_SANITIZER_FLAGS})
endif()
