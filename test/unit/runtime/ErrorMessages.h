// Checking the runtime's errors in tests: the message an action throws, and
// that a message names every part it should.
#ifndef HE_TEST_UNIT_RUNTIME_ERRORMESSAGES_H
#define HE_TEST_UNIT_RUNTIME_ERRORMESSAGES_H

#include "runtime/Error.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace he::runtime {
/// The message of the Error `f` throws (a test failure if none).
template <typename F> std::string errorOf(F f) {
  try {
    f();
  } catch (const Error &e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an Error";
  return "";
}

/// `message` contains every one of `parts`.
inline void expectMessage(const std::string &message,
                          const std::vector<std::string> &parts) {
  for (const std::string &part : parts)
    EXPECT_NE(message.find(part), std::string::npos)
        << message << " lacks " << part;
}
} // namespace he::runtime

#endif
