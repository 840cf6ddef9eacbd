// A batch-norm not folded away: the subset has no BatchNormalization.
// RUN: he-translate --he-to-onnx %s --split-input-file --verify-diagnostics -o /dev/null
// Nothing is written on refusal.
// RUN: rm -f %t.onnx && not he-translate --he-to-onnx %s --split-input-file -o %t.onnx 2> /dev/null && test ! -e %t.onnx

func.func @batch_norm(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %g = he.param "bn1.weight" : tensor<2xf32> = dense<1.0>
  %s = he.param "bn1.bias" : tensor<2xf32> = dense<0.0>
  %m = he.param "bn1.running_mean" buffer : tensor<2xf32> = dense<0.0>
  %v = he.param "bn1.running_var" buffer : tensor<2xf32> = dense<1.0>
  // expected-error@+1 {{'he.batch_norm' op (layer bn1) is not folded; the HE ONNX subset has no BatchNormalization; run he-fold-batchnorm}}
  %n = he.batch_norm %x, %g, %s, %m, %v {name = "bn1"} : tensor<?x2xf32>, tensor<2xf32>
  return %n : tensor<?x2xf32>
}
