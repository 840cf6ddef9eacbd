#include "runtime/data/Source.h"

namespace he::runtime {
const char *toString(Split split) {
  switch (split) {
  case Split::Train:
    return "train";
  case Split::Val:
    return "val";
  case Split::Test:
    return "test";
  }
  return "?";
}
} // namespace he::runtime
