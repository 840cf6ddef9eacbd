// metadata_props as the contract fixes them: hec's version, the depth, the
// depth report's CKKS object, class names and the input normalisation from
// the module's attributes, the input's [C, H, W]; the graph's input `input`
// [N, C, H, W] with a symbolic batch and its output `logits` [N, classes].
// RUN: split-file %s %t
// RUN: he-translate --he-to-onnx %t/attrs.mlir -o %t/attrs.onnx
// RUN: %onnx_dump %t/attrs.onnx | FileCheck %s --check-prefix=ATTRS
// RUN: he-translate --he-to-onnx %t/defaults.mlir -o %t/defaults.onnx
// RUN: %onnx_dump %t/defaults.onnx | FileCheck %s --check-prefix=DEFAULTS

// ATTRS: checker ok
// ATTRS: ir_version 7 opset ai.onnx:13
// ATTRS: input input [N, 2, 2, 2]
// ATTRS: output logits [N, 3]
// ATTRS: meta hec.version = {{[0-9]+\.[0-9]+\.[0-9]+}}
// conv 1 + monic quadratic 1 + linear 1.
// ATTRS: meta hec.total_depth = 3
// ATTRS: meta hec.ckks = {"first_mod_bits":60,"fits":true,"log_q":240,"max_log_q":438,"ring_dimension":16384,"scale_bits":40,"security_bits":128,"slots":8192,"special_prime_bits":60}
// ATTRS: meta hec.class_names = ["cat","dog","bird"]
// ATTRS: meta hec.input_mean = [0.5,0.25]
// ATTRS: meta hec.input_std = [2,4]
// ATTRS: meta hec.input_shape = [2,2,2]

// Without the attributes: classes "0".."C-1", mean 0 and std 1 per channel.
// DEFAULTS: meta hec.class_names = ["0","1","2"]
// DEFAULTS: meta hec.input_mean = [0,0]
// DEFAULTS: meta hec.input_std = [1,1]

//--- attrs.mlir
module attributes {he.class_names = ["cat", "dog", "bird"], he.input_mean = [0.5, 0.25], he.input_std = [2.0, 4.0]} {
func.func @net(%x: tensor<?x2x2x2xf32>) -> tensor<?x3xf32> {
  %w = he.param "conv.weight" : tensor<2x2x1x1xf32> = dense<0.5>
  %c = he.conv2d %x, %w {name = "conv"} : (tensor<?x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<?x2x2x2xf32>
  %a = he.poly_act %c coeffs [0.0, 0.5, 1.0] {name = "act"} : tensor<?x2x2x2xf32>
  %f = he.flatten %a : tensor<?x2x2x2xf32> -> tensor<?x8xf32>
  %w2 = he.param "fc.weight" : tensor<3x8xf32> = dense<0.5>
  %y = he.linear %f, %w2 {name = "fc"} : (tensor<?x8xf32>, tensor<3x8xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
}

//--- defaults.mlir
func.func @net(%x: tensor<?x2x2x2xf32>) -> tensor<?x3xf32> {
  %f = he.flatten %x : tensor<?x2x2x2xf32> -> tensor<?x8xf32>
  %w2 = he.param "fc.weight" : tensor<3x8xf32> = dense<0.5>
  %y = he.linear %f, %w2 {name = "fc"} : (tensor<?x8xf32>, tensor<3x8xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
