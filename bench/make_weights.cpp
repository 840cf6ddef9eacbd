// hec-bench-weights: a zoo network with random weights inside, written as
// bytecode (dense_resource blobs), the input of bench/compile.py. Every
// he.param gets values drawn uniformly from [-1/sqrt(fan_in), 1/sqrt(fan_in)]
// (running variances from [0.5, 1.5]), so that no value is a splat and the
// passes meet real tensors.
//
//   hec-bench-weights --model squeezenet1_0 --image-size 224 -o sq.mlirbc
// (--gain G scales the weights' bound: the ONNX export test uses it so that
// the logits of a deep random network still depend on its input.)
#include "dialect/HeOps.h"
#include "dialect/ParamValues.h"
#include "lib/Frontend/Zoo.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <random>

namespace cl = llvm::cl;

static cl::opt<std::string> model("model", cl::init("squeezenet1_0"),
                                  cl::desc("zoo network"));
static cl::opt<int64_t> classes("classes", cl::init(3));
static cl::opt<int64_t> channels("channels", cl::init(3));
static cl::opt<int64_t> imageSize("image-size", cl::init(224));
static cl::opt<uint64_t> seed("seed", cl::init(0));
static cl::opt<double>
    gain("gain", cl::init(1.0),
         cl::desc("scale the weights' (rank >= 2) bound by G, e.g. 3.5 keeps "
                  "activations near unit scale through 0.5x-slope "
                  "polynomials, so outputs depend on the input"));
static cl::opt<std::string> output("o", cl::Required,
                                   cl::desc("the bytecode file to write"),
                                   cl::value_desc("file"));

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "random weights for a zoo network\n");
  mlir::MLIRContext context;
  context.loadDialect<he::HeDialect, mlir::func::FuncDialect>();
  mlir::OwningOpRef<mlir::ModuleOp> module = he::frontend::buildModel(
      model, classes, {channels, imageSize, imageSize}, context);
  if (!module)
    return 1;
  std::mt19937_64 rng(seed);
  module->walk([&](he::ParamOp param) {
    auto type = mlir::cast<mlir::RankedTensorType>(param.getType());
    int64_t n = type.getNumElements();
    double bound = 1.0 / std::sqrt(double(n / type.getShape()[0]));
    if (type.getRank() >= 2)
      bound *= gain;
    bool variance = param.getParamName().ends_with("running_var");
    std::uniform_real_distribution<float> draw(variance ? 0.5f : float(-bound),
                                               variance ? 1.5f : float(bound));
    std::vector<float> values(n);
    for (float &v : values)
      v = draw(rng);
    he::writeParamValue(param, values);
  });
  std::error_code error;
  llvm::raw_fd_ostream os(output, error);
  if (error) {
    llvm::errs() << output << ": " << error.message() << "\n";
    return 1;
  }
  if (mlir::failed(mlir::writeBytecodeToFile(*module, os)))
    return 1;
  return 0;
}
