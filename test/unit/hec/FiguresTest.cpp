// hec plot: what it reads from a run folder (methods in the paper's order,
// learned coefficients, input ranges back in training coordinates, the
// critical path) and the figures it draws from a fixed folder: valid PNGs
// that OpenCV decodes, SVGs, the same bytes when drawn twice, links in
// results.md.
#include "tools/hec/Figures.h"
#include "tools/hec/RunFolder.h"

#include "dialect/HeOps.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <opencv2/imgcodecs.hpp>

#include <gtest/gtest.h>

#include <fstream>

namespace {
// The model of a tp_st run: one trainable quadratic whose input the
// written model holds at twice the trained scale (a scalar of the layer
// before absorbed): trained 0.1x² + x, stored 0.025x'² + 0.5x' with
// x' = 2x, calibrated over x' in [-4, 6], i.e. x in [-2, 3].
const char *model = R"mlir(
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = he.poly_act %x coeffs [0.0, 0.5, 0.025] trainable {name = "fc.act", he.input_range = {abs_p9999 = 5.0 : f64, max = 6.0 : f64, min = -4.0 : f64}} : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
)mlir";

const char *depth = R"json({
  "critical_path": [
    {"cost": 1, "name": "fc", "op": "he.linear", "out_level": 1},
    {"cost": 1, "name": "fc.act", "op": "he.poly_act", "out_level": 2}
  ],
  "non_polynomial": [],
  "total_depth": 2
})json";

void writeFile(const std::string &path, llvm::StringRef text) {
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path));
  std::ofstream(path, std::ios::binary) << text.str();
}

std::string readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

// One epoch line of metrics.jsonl, evaluated on the validation split.
std::string epochLine(int epoch, double accuracy, double loss, double lambda,
                      bool poly) {
  std::string coeffs = poly ? R"("fc.act.poly.coeffs":[0,1,)" +
                                  std::to_string(0.1 * epoch / 3) + "]"
                            : "";
  return "{\"epoch\":" + std::to_string(epoch) +
         ",\"loss\":" + std::to_string(loss) +
         ",\"validation_accuracy\":" + std::to_string(accuracy) +
         ",\"lambda\":" + std::to_string(lambda) +
         ",\"pool_lambda\":" + (epoch >= 2 ? "1" : "0") +
         ",\"coefficients\":{" + coeffs + "}}\n";
}

// Writes `text` (he IR) to `path` as bytecode, as hec writes its models.
void writeModel(const std::string &path, llvm::StringRef text) {
  mlir::MLIRContext context;
  context.loadDialect<he::HeDialect, mlir::func::FuncDialect>();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(text, &context);
  ASSERT_TRUE(module);
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  ASSERT_TRUE(mlir::succeeded(mlir::writeBytecodeToFile(*module, os)));
  writeFile(path, os.str());
}

class FiguresTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> path;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("hec-figures", path));
    dir = path.str().str();
    // tp_st's folders are written first: the order comes from the methods.
    for (int seed : {222, 111}) {
      std::string run = dir + "/tp_st/seed-" + std::to_string(seed);
      writeFile(run + "/metrics.jsonl",
                epochLine(1, 0.5 + seed / 1000.0, 1.2, 0, true) +
                    epochLine(2, 0.6, 0.9, 0.5, true) +
                    epochLine(3, 0.7, 0.8, 1, true));
      writeFile(run + "/depth.json", depth);
      writeModel(run + "/model.mlirbc", model);
    }
    writeFile(dir + "/baseline/seed-111/metrics.jsonl",
              epochLine(1, 0.6, 1.0, 0, false) +
                  epochLine(2, 0.7, 0.7, 0, false) +
                  epochLine(3, 0.8, 0.5, 0, false));
    writeFile(dir + "/results.md", "# fixed\n\n| method |\n");
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string dir;
};

TEST(InputScaleTest, TheScalarBetweenTrainedAndStoredCoefficients) {
  // trained[k] = t stored[k] s^k.
  EXPECT_DOUBLE_EQ(hec::inputScale({0, 1, 0.1}, {0, 0.5, 0.025}), 2);
  // Monic: only the output's scale moved on (t = a), the input stayed.
  EXPECT_DOUBLE_EQ(hec::inputScale({0, 0.96, 0.06}, {0, 16, 1}), 1);
  // A negative scalar flips the input.
  EXPECT_DOUBLE_EQ(hec::inputScale({0, 1, 0.1}, {0, -0.5, 0.025}), -2);
  // One term cannot tell the input's scale from the output's.
  EXPECT_DOUBLE_EQ(hec::inputScale({0, 0, 1}, {0, 0, 4}), 1);
}

TEST_F(FiguresTest, ReadsTheMethodsSeedsCoefficientsRangesAndPath) {
  llvm::Expected<hec::RunFolder> run = hec::readRunFolder(dir);
  ASSERT_TRUE(bool(run)) << llvm::toString(run.takeError());
  EXPECT_EQ(run->experiment, llvm::sys::path::filename(dir).str());
  EXPECT_EQ(run->split, "validation");
  ASSERT_EQ(run->methods.size(), 2u);
  EXPECT_EQ(run->methods[0].method, "baseline");
  const hec::MethodRecord &tp = run->methods[1];
  EXPECT_EQ(tp.method, "tp_st");
  ASSERT_EQ(tp.seeds.size(), 2u);
  EXPECT_EQ(tp.seeds[0].seed, 111);
  EXPECT_NEAR(tp.seeds[0].epochs[0].accuracy, 61.1, 1e-9);
  ASSERT_EQ(tp.seeds[0].activations.size(), 1u);
  const hec::ActivationRecord &a = tp.seeds[0].activations[0];
  EXPECT_EQ(a.layer, "fc.act");
  EXPECT_TRUE(a.polynomial && a.trainable);
  // The last epoch's coefficients, and the range in their coordinates.
  ASSERT_EQ(a.coeffs.size(), 3u);
  EXPECT_NEAR(a.coeffs[2], 0.1, 1e-6);
  ASSERT_TRUE(a.inputRange);
  EXPECT_NEAR(a.inputRange->first, -2, 1e-5);
  EXPECT_NEAR(a.inputRange->second, 3, 1e-5);
  ASSERT_EQ(tp.seeds[0].criticalPath.size(), 2u);
  EXPECT_EQ(tp.seeds[0].criticalPath[1].op, "he.poly_act");
  EXPECT_EQ(tp.seeds[0].totalDepth, 2);
}

TEST_F(FiguresTest, ErrorsNameTheFileAndWhatWasExpected) {
  // A model or depth report that cannot be read leaves its seed without
  // them; the other figures are still drawn.
  writeFile(dir + "/tp_st/seed-111/depth.json", "{\"total_depth\": 2}");
  writeFile(dir + "/tp_st/seed-222/model.mlirbc", "he.nonsense");
  llvm::Expected<hec::RunFolder> run = hec::readRunFolder(dir);
  ASSERT_TRUE(bool(run)) << llvm::toString(run.takeError());
  ASSERT_EQ(run->unread.size(), 2u);
  EXPECT_NE(run->unread[0].find("tp_st/seed-111/depth.json: expected a depth "
                                "report with \"critical_path\""),
            std::string::npos)
      << run->unread[0];
  EXPECT_NE(run->unread[1].find("tp_st/seed-222/model.mlirbc: expected an he "
                                "module"),
            std::string::npos)
      << run->unread[1];
  EXPECT_TRUE(run->methods[1].seeds[0].criticalPath.empty());
  EXPECT_EQ(run->methods[1].seeds[1].criticalPath.size(), 2u);
  EXPECT_TRUE(run->methods[1].seeds[1].activations.empty());
  EXPECT_EQ(run->methods[1].seeds[0].activations.size(), 1u);
  if (llvm::sys::findProgramByName("gnuplot")) {
    std::vector<std::string> drawn;
    llvm::Error err = hec::writeFigures(dir, &drawn);
    std::string message = llvm::toString(std::move(err));
    EXPECT_NE(message.find("seed-111/depth.json"), std::string::npos);
    EXPECT_EQ(drawn.size(), 5u) << message;
  }

  writeFile(dir + "/baseline/seed-111/metrics.jsonl",
            epochLine(1, 0.6, 1.0, 0, false) + "{\"epoch\": 2}\n");
  // A metrics line without its accuracy stops the reading.
  run = hec::readRunFolder(dir);
  ASSERT_FALSE(bool(run));
  std::string message = llvm::toString(run.takeError());
  EXPECT_NE(message.find("baseline/seed-111/metrics.jsonl:2: expected an "
                         "object with \"epoch\" and \"validation_accuracy\""),
            std::string::npos)
      << message;
}

TEST_F(FiguresTest, SaysWhyTheRangesFigureIsLeftOut) {
  // Models written before hec calibrated them carry no input ranges: no
  // ranges figure, and a note that says why, not an error.
  std::string uncalibrated = model;
  size_t at = uncalibrated.find(", he.input_range = {");
  ASSERT_NE(at, std::string::npos);
  uncalibrated.erase(at, uncalibrated.find("}}", at) + 1 - at);
  ASSERT_EQ(uncalibrated.find("he.input_range"), std::string::npos);
  for (int seed : {222, 111})
    writeModel(dir + "/tp_st/seed-" + std::to_string(seed) + "/model.mlirbc",
               uncalibrated);
  if (!llvm::sys::findProgramByName("gnuplot"))
    GTEST_SKIP() << "gnuplot is not installed (scripts/install-deps.sh)";
  std::vector<std::string> drawn, notes;
  llvm::Error err = hec::writeFigures(dir, &drawn, &notes);
  EXPECT_FALSE(bool(err)) << llvm::toString(std::move(err));
  EXPECT_FALSE(llvm::is_contained(drawn, "ranges"));
  EXPECT_TRUE(llvm::is_contained(drawn, "poly-fc.act"));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("ranges: left out: no model in the folder records"),
            std::string::npos)
      << notes[0];
}

TEST_F(FiguresTest, DrawsValidImagesTheSameTwiceAndLinksThem) {
  if (!llvm::sys::findProgramByName("gnuplot"))
    GTEST_SKIP() << "gnuplot is not installed (scripts/install-deps.sh)";
  std::vector<std::string> drawn;
  llvm::Error err = hec::writeFigures(dir, &drawn);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  std::vector<std::string> expected = {"accuracy", "loss", "poly-fc.act",
                                       "ranges", "depth"};
  ASSERT_EQ(drawn, expected);

  std::map<std::string, std::string> bytes;
  for (const std::string &name : drawn) {
    std::string png = dir + "/figures/" + name + ".png";
    cv::Mat image = cv::imread(png, cv::IMREAD_UNCHANGED);
    ASSERT_FALSE(image.empty()) << png << " does not decode";
    EXPECT_GE(image.cols, 960) << png;
    EXPECT_GE(image.rows, 600) << png;
    std::string svg = readFile(dir + "/figures/" + name + ".svg");
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u) << name;
    EXPECT_NE(svg.find("</svg>"), std::string::npos) << name;
    for (const char *ext : {".png", ".svg", ".gp"})
      bytes[name + ext] = readFile(dir + "/figures/" + name + ext);
  }
  // The methods have 1 and 2 seeds: the legend says how many each.
  EXPECT_NE(bytes["accuracy.gp"].find("mean over each method's seeds"),
            std::string::npos);
  EXPECT_NE(bytes["accuracy.gp"].find("title \"tp_st, 2 seeds\""),
            std::string::npos);
  EXPECT_NE(bytes["poly-fc.act.gp"].find("observed input range [-2, 3]"),
            std::string::npos);

  drawn.clear();
  err = hec::writeFigures(dir, &drawn);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  for (const auto &[file, content] : bytes)
    EXPECT_EQ(readFile(dir + "/figures/" + file), content)
        << file << " changed when drawn again";

  std::string md = readFile(dir + "/results.md");
  EXPECT_EQ(md.rfind("# fixed\n\n| method |\n\n## Figures\n", 0), 0u) << md;
  EXPECT_EQ(md.find("## Figures"), md.rfind("## Figures"));
  for (const std::string &name : drawn)
    EXPECT_NE(md.find("(figures/" + name + ".png)"), std::string::npos) << name;
}
} // namespace
