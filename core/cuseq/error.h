// cuseq::Error: the one exception type the library throws, with messages that
// name the layer or op, what was expected and what came.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "cuseq/export.h"

namespace cuseq {

class CUSEQ_API Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

namespace detail {

// Concatenates any streamable values into one message string.
template <class... Parts>
std::string concat(Parts&&... parts) {
  std::ostringstream out;
  (out << ... << std::forward<Parts>(parts));
  return out.str();
}

}  // namespace detail

// Throws cuseq::Error with `where` (a layer or op name) prefixed: "Dense: expected ...".
template <class... Parts>
[[noreturn]] void fail(const std::string& where, Parts&&... parts) {
  throw Error(where + ": " + detail::concat(std::forward<Parts>(parts)...));
}

// Throws when `condition` is false; the message is only built on failure.
template <class... Parts>
void check(bool condition, const std::string& where, Parts&&... parts) {
  if (!condition) fail(where, std::forward<Parts>(parts)...);
}

}  // namespace cuseq
