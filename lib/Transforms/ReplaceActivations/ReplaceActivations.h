#ifndef HE_TRANSFORMS_REPLACEACTIVATIONS_H
#define HE_TRANSFORMS_REPLACEACTIVATIONS_H

#include "dialect/HeOps.h"
#include "mlir/Pass/Pass.h"

#include "llvm/Support/CommandLine.h"

namespace he {
/// What he-replace-activations puts in place of a ReLU.
enum class ActivationMethod { Square, ApproxRelu, Poly, Blend };
} // namespace he

namespace llvm::cl {
/// Parses the `method` option. Unlike `cl::values`, whose error only says
/// the value is unknown, it lists the methods there are.
template <>
class parser<he::ActivationMethod> : public basic_parser<he::ActivationMethod> {
public:
  explicit parser(Option &option) : basic_parser(option) {}
  bool parse(Option &option, StringRef argName, StringRef arg,
             he::ActivationMethod &value);
  StringRef getValueName() const override {
    return "square|approx-relu|poly|blend";
  }
  /// Prints the value as it is spelled in a pipeline.
  static void print(raw_ostream &os, he::ActivationMethod value);
  /// Prints the value against its default (--print-options).
  void printOptionDiff(const Option &option, he::ActivationMethod value,
                       const OptionValue<he::ActivationMethod> &defaultValue,
                       size_t globalWidth) const;
};
} // namespace llvm::cl

namespace he {
#define GEN_PASS_DECL_REPLACEACTIVATIONS
#include "lib/Transforms/ReplaceActivations/ReplaceActivations.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Transforms/ReplaceActivations/ReplaceActivations.h.inc"
} // namespace he

#endif
