#include "cuseq/device.h"

#include <ostream>
#include <string>

#include "core/detail/runtime.h"
#include "cuseq/error.h"

namespace cuseq {

Device Device::parse(const std::string& text) {
  if (text == "cpu") return cpu();
  if (text == "cuda" || text == "gpu") return cuda(0);
  const std::string prefix = "cuda:";
  if (text.rfind(prefix, 0) == 0) {
    const std::string number = text.substr(prefix.size());
    if (!number.empty() && number.find_first_not_of("0123456789") == std::string::npos) {
      return cuda(std::stoi(number));
    }
  }
  fail("Device", "expected \"cpu\", \"cuda\" or \"cuda:N\", got \"", text, "\"");
}

std::string Device::str() const {
  return is_cpu() ? std::string("cpu") : "cuda:" + std::to_string(index_);
}

int cuda_device_count() { return detail::gpu_count(); }
bool cuda_available() { return detail::gpu_count() > 0; }
std::string cuda_unavailable_reason() { return detail::gpu_unavailable_reason(); }
Device default_device() { return cuda_available() ? Device::cuda(0) : Device::cpu(); }

std::ostream& operator<<(std::ostream& out, Device device) { return out << device.str(); }

}  // namespace cuseq
