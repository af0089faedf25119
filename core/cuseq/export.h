// The library is built with hidden symbols; CUSEQ_API marks the public API
// that libcuseq.so exports.
#pragma once

#define CUSEQ_API __attribute__((visibility("default")))
