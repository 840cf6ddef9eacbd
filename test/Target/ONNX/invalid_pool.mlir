// Pools whose divisor ONNX runtimes would not reproduce: a fixed divisor
// (a sum pool, or counted padding) with a ceil_mode window hanging past
// the padded input.
// RUN: he-translate --he-to-onnx %s --split-input-file --verify-diagnostics -o /dev/null
// Nothing is written on refusal.
// RUN: rm -f %t.onnx && not he-translate --he-to-onnx %s --split-input-file -o %t.onnx 2> /dev/null && test ! -e %t.onnx

func.func @sum_ceil(%x: tensor<?x1x5x5xf32>) -> tensor<?x9xf32> {
  // expected-error@+1 {{'he.avg_pool2d' op (layer pool1) has a ceil_mode window hanging past the padded input with a fixed divisor; ONNX runtimes divide such windows differently}}
  %p = he.avg_pool2d %x {name = "pool1", kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, ceil_mode = true, divisor_override = 1 : i64} : tensor<?x1x5x5xf32> -> tensor<?x1x3x3xf32>
  %f = he.flatten %p : tensor<?x1x3x3xf32> -> tensor<?x9xf32>
  return %f : tensor<?x9xf32>
}

// -----

func.func @padded_ceil(%x: tensor<?x1x4x4xf32>) -> tensor<?x9xf32> {
  // expected-error@+1 {{'he.avg_pool2d' op (layer pool2) has a ceil_mode window hanging past the padded input}}
  %p = he.avg_pool2d %x {name = "pool2", kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 0, 0>, ceil_mode = true} : tensor<?x1x4x4xf32> -> tensor<?x1x3x3xf32>
  %f = he.flatten %p : tensor<?x1x3x3xf32> -> tensor<?x9xf32>
  return %f : tensor<?x9xf32>
}
