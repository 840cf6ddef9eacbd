#include "runtime/TemporaryPath.h"

#include <fmt/format.h>

#include <climits>
#include <unistd.h>

namespace he::runtime {

std::string temporaryPathFor(const std::string &path) {
  char host[HOST_NAME_MAX + 1] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || !host[0])
    host[0] = '-';
  // A host name holds no '/' (RFC 1123), but nothing forces it; its first
  // 32 characters tell the nodes of a cluster apart and keep a long output
  // name within NAME_MAX.
  host[32] = '\0';
  for (char *c = host; *c; ++c)
    if (*c == '/')
      *c = '_';
  return fmt::format("{}.tmp.{}.{}", path, host, ::getpid());
}

bool isTemporaryOf(const std::string &name, const std::string &final) {
  std::string prefix = final + ".tmp";
  return name.compare(0, prefix.size(), prefix) == 0 &&
         (name.size() == prefix.size() || name[prefix.size()] == '.');
}

} // namespace he::runtime
