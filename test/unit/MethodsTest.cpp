// The method table (lib/Frontend/Methods.h): one row per method, found by
// its enum value, and the facts read from it rather than from method names.
#include "lib/Frontend/Methods.h"

#include <gtest/gtest.h>

using namespace he::frontend;

namespace {
// Every enumerator. The switch has no default: a Method added to the enum
// is a -Wswitch warning here until it is listed.
constexpr Method kEveryMethod[] = {Method::Baseline,   Method::Square,
                                   Method::ApproxRelu, Method::Tp,
                                   Method::TpSt,       Method::TpStKd};
[[maybe_unused]] constexpr bool listed(Method method) {
  switch (method) {
  case Method::Baseline:
  case Method::Square:
  case Method::ApproxRelu:
  case Method::Tp:
  case Method::TpSt:
  case Method::TpStKd:
    return true;
  }
  return false;
}

// specOf indexes the table by the enum value.
TEST(MethodsTest, EveryRowSitsAtItsMethodsValue) {
  llvm::ArrayRef<MethodSpec> table = methodTable();
  for (size_t i = 0; i < table.size(); ++i)
    EXPECT_EQ(static_cast<size_t>(table[i].method), i) << table[i].name.str();
}

TEST(MethodsTest, EveryMethodHasARow) {
  EXPECT_EQ(methodTable().size(), std::size(kEveryMethod));
  for (Method method : kEveryMethod) {
    ASSERT_LT(static_cast<size_t>(method), methodTable().size());
    EXPECT_EQ(specOf(method).method, method);
    EXPECT_EQ(parseMethod(specOf(method).name), method);
  }
}

Experiment parsed(const std::string &text) {
  ParseOptions noPaths;
  noPaths.checkPaths = false;
  ParseResult result = parseExperimentString(text, "x.toml", noPaths);
  for (const Diagnostic &d : result.diagnostics)
    ADD_FAILURE() << d.str();
  return result.experiment.value_or(Experiment{});
}

// The seed's baseline is needed by the distilling methods while the
// teacher is "baseline", and by every other method with training.init =
// "baseline"; never by the baseline itself.
TEST(MethodsTest, WhoNeedsTheSeedsBaseline) {
  Experiment e = parsed("");
  for (Method m : kEveryMethod) {
    SCOPED_TRACE(toString(m).str());
    EXPECT_EQ(distilsFromBaseline(e, m), specOf(m).distillation);
    EXPECT_FALSE(startsFromBaseline(e, m));
    EXPECT_EQ(needsBaseline(e, m), specOf(m).distillation);
  }
  EXPECT_TRUE(distils(e));
  e.distillation.teacher = "teacher.mlir";
  for (Method m : kEveryMethod)
    EXPECT_FALSE(needsBaseline(e, m)) << toString(m).str();
  e.training.init = WeightInit::Baseline;
  for (Method m : kEveryMethod) {
    EXPECT_EQ(startsFromBaseline(e, m), m != Method::Baseline);
    EXPECT_EQ(needsBaseline(e, m), m != Method::Baseline);
  }
  EXPECT_FALSE(distils(parsed("methods = [\"baseline\", \"tp_st\"]")));
}

// The parser asks the same question: a method that needs the baseline
// needs it listed.
TEST(MethodsTest, ANeededBaselineMustBeListed) {
  ParseOptions noPaths;
  noPaths.checkPaths = false;
  EXPECT_TRUE(parseExperimentString("methods = [\"tp_st_kd\"]\n"
                                    "distillation.teacher = \"t.mlir\"",
                                    "x.toml", noPaths));
  EXPECT_FALSE(
      parseExperimentString("methods = [\"tp_st_kd\"]", "x.toml", noPaths));
  EXPECT_FALSE(parseExperimentString(
      "methods = [\"tp\"]\ntraining.init = \"baseline\"", "x.toml", noPaths));
}
} // namespace
