#include "tools/he-opt/DepthReportFlags.h"

#include <gtest/gtest.h>

namespace {
using Args = std::vector<std::string>;

Args rewrite(const Args &args) { return he::rewriteDepthReportFlags(args); }

TEST(DepthReportFlags, OtherFlagsAreUntouched) {
  Args args = {"he-opt", "in.mlir", "--he-lower-maxpool", "-o", "out.mlir"};
  EXPECT_EQ(rewrite(args), args);
}

TEST(DepthReportFlags, PlainReportSendsModuleToDevNull) {
  EXPECT_EQ(rewrite({"he-opt", "in.mlir", "--depth-report"}),
            (Args{"he-opt", "in.mlir", "--depth-report", "-o", "/dev/null"}));
}

TEST(DepthReportFlags, OptionsMergeIntoOnePassFlag) {
  EXPECT_EQ(rewrite({"he-opt", "--depth-report-format=json", "in.mlir",
                     "--depth-report", "-depth-report-security=192"}),
            (Args{"he-opt", "--depth-report=format=json security=192",
                  "in.mlir", "-o", "/dev/null"}));
}

TEST(DepthReportFlags, OptionWithSeparateValue) {
  EXPECT_EQ(rewrite({"he-opt", "--depth-report-conv-cost", "2", "in.mlir"}),
            (Args{"he-opt", "--depth-report=conv-cost=2", "in.mlir", "-o",
                  "/dev/null"}));
}

TEST(DepthReportFlags, PassOwnSpellingKeepsItsOptions) {
  EXPECT_EQ(rewrite({"he-opt", "--depth-report=format=json",
                     "--depth-report-security=256"}),
            (Args{"he-opt", "--depth-report=format=json security=256", "-o",
                  "/dev/null"}));
}

TEST(DepthReportFlags, ReportKeepsItsPlaceInThePipeline) {
  EXPECT_EQ(rewrite({"he-opt", "--he-lower-maxpool", "--depth-report",
                     "--canonicalize"}),
            (Args{"he-opt", "--he-lower-maxpool", "--depth-report",
                  "--canonicalize", "-o", "/dev/null"}));
}

TEST(DepthReportFlags, ExplicitOutputIsKept) {
  EXPECT_EQ(rewrite({"he-opt", "--depth-report", "-o", "x.mlir"}),
            (Args{"he-opt", "--depth-report", "-o", "x.mlir"}));
  EXPECT_EQ(rewrite({"he-opt", "--depth-report", "--o=x.mlir"}),
            (Args{"he-opt", "--depth-report", "--o=x.mlir"}));
}

TEST(DepthReportFlags, ArgumentsAfterDoubleDashArePositional) {
  Args args = {"he-opt", "--", "--depth-report"};
  EXPECT_EQ(rewrite(args), args);
}

TEST(DepthReportFlags, SimilarNamesAreNotTheReport) {
  Args args = {"he-opt", "--depth-reporter"};
  EXPECT_EQ(rewrite(args), args);
}
} // namespace
