// The runtime's error: thrown for anything wrong with user input (an IR the
// runtime cannot execute, a corrupt data file, bad options). Its message names
// what is wrong and where (a file path, a layer and its location).
#ifndef HE_RUNTIME_ERROR_H
#define HE_RUNTIME_ERROR_H

#include <stdexcept>
#include <string>

namespace he::runtime {
class Error : public std::runtime_error {
public:
  explicit Error(const std::string &message) : std::runtime_error(message) {}
};
} // namespace he::runtime

#endif
