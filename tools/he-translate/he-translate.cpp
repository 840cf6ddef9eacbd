// he-translate: mlir-translate for the he dialect (`--he-to-onnx`).
#include "lib/Target/ONNX/ExportONNX.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  he::registerHeToOnnxTranslation();
  return mlir::failed(mlir::mlirTranslateMain(
             argc, argv, "he-translate: translations of the he dialect\n"))
             ? 1
             : 0;
}
