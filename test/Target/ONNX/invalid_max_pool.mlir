// A max-pool is not a polynomial (he-lower-maxpool replaces it); MaxPool is
// not in the HE ONNX subset.
// RUN: he-translate --he-to-onnx %s --split-input-file --verify-diagnostics -o /dev/null
// Nothing is written on refusal.
// RUN: rm -f %t.onnx && not he-translate --he-to-onnx %s --split-input-file -o %t.onnx 2> /dev/null && test ! -e %t.onnx

func.func @max_pool(%x: tensor<?x1x4x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'he.max_pool2d' op (layer pool1) is not a polynomial and has no HE-friendly ONNX form; run he-lower-maxpool}}
  %m = he.max_pool2d %x {name = "pool1", kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x1x4x4xf32> -> tensor<?x1x2x2xf32>
  %f = he.flatten %m : tensor<?x1x2x2xf32> -> tensor<?x4xf32>
  return %f : tensor<?x4xf32>
}
