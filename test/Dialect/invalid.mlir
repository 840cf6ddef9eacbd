// Each verifier rejects what it must, with a diagnostic that names the op
// and what was expected.
// RUN: he-opt %s --split-input-file --verify-diagnostics

// A parameter needs a name.
func.func @param_empty_name() -> tensor<2xf32> {
  // expected-error @+1 {{'he.param' op expects a non-empty name}}
  %p = he.param "" : tensor<2xf32>
  return %p : tensor<2xf32>
}

// -----

// A value whose type differs from the result.
func.func @param_value_type() -> tensor<2xf32> {
  // expected-error @+1 {{value of type 'tensor<3xf32>' does not match result type 'tensor<2xf32>'}}
  %p = "he.param"() {param_name = "w", value = dense<1.0> : tensor<3xf32>} : () -> tensor<2xf32>
  return %p : tensor<2xf32>
}

// -----

// Only f32 tensors.
func.func @param_f64() -> tensor<2xf64> {
  // expected-error @+1 {{must be ranked tensor of 32-bit float values}}
  %p = he.param "w" : tensor<2xf64>
  return %p : tensor<2xf64>
}

// -----

// Not a dense value.
func.func @param_not_elements() -> tensor<2xf32> {
  // expected-error @+1 {{expected a dense or dense_resource value}}
  %p = he.param "w" : tensor<2xf32> = unit
  return %p : tensor<2xf32>
}

// -----

// A weight blob cut short (a damaged file): 4 bytes for three floats.
func.func @param_blob_size() -> tensor<3xf32> {
  // expected-error @+1 {{'he.param' op 'fc.bias' has a value of 4 bytes; its type 'tensor<3xf32>' needs 12}}
  %p = he.param "fc.bias" : tensor<3xf32> = dense_resource<fc.bias>
  return %p : tensor<3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      fc.bias: "0x040000004FE2973E"
    }
  }
#-}

// -----

// The conv's input must be NCHW.
func.func @conv_rank(%x: tensor<?x3x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'he.conv2d' op expects input of rank 4, got [?, 3, 8]}}
  %y = he.conv2d %x, %w : (tensor<?x3x8xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x6x6xf32>
  return
}

// -----

// Weight channels must match the input's (per group).
func.func @conv_in_channels(%x: tensor<?x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{'he.conv2d' op expects weight of shape [out, 3/1, kh, kw] for input [?, 3, 8, 8], got [4, 2, 3, 3]}}
  %y = he.conv2d %x, %w : (tensor<?x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<?x4x6x6xf32>
  return
}

// -----

// The output size follows from kernel, stride and padding.
func.func @conv_result(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'he.conv2d' op expects result shape [?, 4, 4, 4], got [?, 4, 6, 6]}}
  %y = he.conv2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x6x6xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'he.conv2d' op expects bias of shape [4], got [3]}}
  %y = he.conv2d %x, %w, %b : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<?x4x6x6xf32>
  return
}

// -----

func.func @conv_stride(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'he.conv2d' op expects every 'stride' value >= 1, got 0}}
  %y = he.conv2d %x, %w {stride = array<i64: 0, 1>} : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x6x6xf32>
  return
}

// -----

func.func @conv_padding(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'he.conv2d' op expects 'padding' to have 4 values, got 2}}
  %y = he.conv2d %x, %w {padding = array<i64: 1, 1>} : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x8x8xf32>
  return
}

// -----

func.func @conv_groups(%x: tensor<?x4x8x8xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+1 {{'he.conv2d' op expects output channels 3 divisible by groups 2}}
  %y = he.conv2d %x, %w {groups = 2} : (tensor<?x4x8x8xf32>, tensor<3x2x3x3xf32>) -> tensor<?x3x6x6xf32>
  return
}

// -----

func.func @conv_window(%x: tensor<?x3x2x2xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'he.conv2d' op window 3 is larger than the padded input [?, 3, 2, 2] along dimension 2}}
  %y = he.conv2d %x, %w : (tensor<?x3x2x2xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x1x1xf32>
  return
}

// -----

// Paddings whose sum with the input overflows int64 (the output size once
// wrapped to a plausible [?, 4, 2, 8]).
func.func @conv_padding_overflow(%x: tensor<?x1x8x8xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error @+1 {{'he.conv2d' op padding 9223372036854775807 + 9223372036854775807 of the input [?, 1, 8, 8] along dimension 2 does not fit in 64 bits}}
  %y = he.conv2d %x, %w {padding = array<i64: 9223372036854775807, 1, 9223372036854775807, 1>, stride = array<i64: 2, 1>} : (tensor<?x1x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<?x4x2x8xf32>
  return
}

// -----

// One padding near int64's end: the padded input fits, the result is as
// large as it says.
func.func @conv_padding_large(%x: tensor<?x1x8x8xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error @+1 {{'he.conv2d' op expects result shape [?, 4, 4611686018427387903, 8], got [?, 4, 8, 8]}}
  %y = he.conv2d %x, %w {padding = array<i64: 9223372036854775799, 1, 0, 1>, stride = array<i64: 2, 1>} : (tensor<?x1x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<?x4x8x8xf32>
  return
}

// -----

func.func @linear_features(%x: tensor<?x10xf32>, %w: tensor<4x12xf32>) {
  // expected-error @+1 {{'he.linear' op expects weight of shape [out, 10], got [4, 12]}}
  %y = he.linear %x, %w : (tensor<?x10xf32>, tensor<4x12xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @linear_result(%x: tensor<?x10xf32>, %w: tensor<4x10xf32>) {
  // expected-error @+1 {{'he.linear' op expects result shape [?, 4], got [?, 5]}}
  %y = he.linear %x, %w : (tensor<?x10xf32>, tensor<4x10xf32>) -> tensor<?x5xf32>
  return
}

// -----

func.func @linear_bias(%x: tensor<?x10xf32>, %w: tensor<4x10xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{'he.linear' op expects bias of shape [4], got [5]}}
  %y = he.linear %x, %w, %b : (tensor<?x10xf32>, tensor<4x10xf32>, tensor<5xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @linear_rank(%x: tensor<?x2x5xf32>, %w: tensor<4x10xf32>) {
  // expected-error @+1 {{'he.linear' op expects input of rank 2, got [?, 2, 5]}}
  %y = he.linear %x, %w : (tensor<?x2x5xf32>, tensor<4x10xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @bn_channels(%x: tensor<?x4x2x2xf32>, %p: tensor<3xf32>) {
  // expected-error @+1 {{'he.batch_norm' op expects weight of shape [4], got [3]}}
  %y = he.batch_norm %x, %p, %p, %p, %p : tensor<?x4x2x2xf32>, tensor<3xf32>
  return
}

// -----

func.func @bn_epsilon(%x: tensor<?x4xf32>, %p: tensor<4xf32>) {
  // expected-error @+1 {{'he.batch_norm' op expects epsilon > 0, got 0}}
  %y = he.batch_norm %x, %p, %p, %p, %p {epsilon = 0.0} : tensor<?x4xf32>, tensor<4xf32>
  return
}

// -----

func.func @bn_momentum(%x: tensor<?x4xf32>, %p: tensor<4xf32>) {
  // expected-error @+1 {{'he.batch_norm' op expects momentum in [0, 1], got 2}}
  %y = he.batch_norm %x, %p, %p, %p, %p {momentum = 2.0} : tensor<?x4xf32>, tensor<4xf32>
  return
}

// -----

func.func @bn_rank(%x: tensor<?x4x2xf32>, %p: tensor<4xf32>) {
  // expected-error @+1 {{'he.batch_norm' op expects input of rank 2 or 4, got [?, 4, 2]}}
  %y = he.batch_norm %x, %p, %p, %p, %p : tensor<?x4x2xf32>, tensor<4xf32>
  return
}

// -----

func.func @pool_result(%x: tensor<?x4x8x8xf32>) {
  // expected-error @+1 {{'he.max_pool2d' op expects result shape [?, 4, 4, 4], got [?, 4, 3, 3]}}
  %y = he.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x3x3xf32>
  return
}

// -----

// ceil_mode keeps the partial window: 9 -> 4 with floor, 5 with ceil... but
// never a window that starts in the padding.
func.func @pool_ceil(%x: tensor<?x4x9x9xf32>) {
  // expected-error @+1 {{'he.avg_pool2d' op expects result shape [?, 4, 5, 5], got [?, 4, 4, 4]}}
  %y = he.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, ceil_mode = true} : tensor<?x4x9x9xf32> -> tensor<?x4x4x4xf32>
  return
}

// -----

func.func @pool_padding(%x: tensor<?x4x8x8xf32>) {
  // expected-error @+1 {{'he.max_pool2d' op expects padding at most half the kernel, got padding 2 for kernel 2}}
  %y = he.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 2, 0, 0, 0>} : tensor<?x4x8x8xf32> -> tensor<?x4x5x4xf32>
  return
}

// -----

// Padding of int64's largest value: refused as more than half the kernel,
// not wrapped by a doubling.
func.func @pool_padding_huge(%x: tensor<?x1x8x8xf32>) {
  // expected-error @+1 {{'he.avg_pool2d' op expects padding at most half the kernel, got padding 9223372036854775807 for kernel 2}}
  %y = he.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 9223372036854775807, 0, 9223372036854775807, 0>} : tensor<?x1x8x8xf32> -> tensor<?x1x3x4xf32>
  return
}

// -----

func.func @pool_kernel(%x: tensor<?x4x8x8xf32>) {
  // expected-error @+1 {{'he.max_pool2d' op expects every 'kernel' value >= 1, got 0}}
  %y = he.max_pool2d %x {kernel = array<i64: 0, 2>, stride = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  return
}

// -----

func.func @pool_missing_stride(%x: tensor<?x4x8x8xf32>) {
  // expected-error @+1 {{'he.max_pool2d' op requires attribute 'stride'}}
  %y = he.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  return
}

// -----

func.func @avg_divisor(%x: tensor<?x4x8x8xf32>) {
  // expected-error @+1 {{'he.avg_pool2d' op expects divisor_override >= 1, got 0}}
  %y = he.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, divisor_override = 0} : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32>
  return
}

// -----

func.func @global_result(%x: tensor<?x4x8x8xf32>) {
  // expected-error @+1 {{'he.global_avg_pool2d' op expects result shape [?, 4, 1, 1], got [?, 4, 2, 2]}}
  %y = he.global_avg_pool2d %x : tensor<?x4x8x8xf32> -> tensor<?x4x2x2xf32>
  return
}

// -----

func.func @global_divisor(%x: tensor<?x4x8x8xf32>) {
  // expected-error @+1 {{'he.global_avg_pool2d' op expects divisor_override >= 1, got -1}}
  %y = he.global_avg_pool2d %x {divisor_override = -1} : tensor<?x4x8x8xf32> -> tensor<?x4x1x1xf32>
  return
}

// -----

func.func @poly_empty(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'he.poly_act' op expects at least one coefficient}}
  %y = he.poly_act %x coeffs [] : tensor<?x4xf32>
  return
}

// -----

func.func @poly_nan(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'he.poly_act' op expects finite coefficients, got nan for x^1}}
  %y = he.poly_act %x coeffs [0.0, 0x7FF8000000000000, 1.0] : tensor<?x4xf32>
  return
}

// -----

func.func @poly_inf(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'he.poly_act' op expects finite coefficients, got inf for x^2}}
  %y = he.poly_act %x coeffs [0.0, 1.0, 0x7FF0000000000000] : tensor<?x4xf32>
  return
}

// -----

// A coefficient beyond f32's range: the runtime (f32) would compute inf,
// and the text printer once wrote it as INF, which did not read back.
func.func @poly_beyond_f32(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'he.poly_act' op expects coefficients within f32's range (|c| <= 3.4028235e+38, the runtime computes in f32), got -1.0e+39 for x^1}}
  %y = he.poly_act %x coeffs [0.0, -1.0e+39] : tensor<?x4xf32>
  return
}

// -----

// A tensor whose element count does not fit in int64: a flatten of a
// 2^40 x 2^40 map once verified to ?x0.
func.func @flatten_overflow(%x: tensor<?x1x1099511627776x1099511627776xf32>) {
  // expected-error @+1 {{'he.flatten' op operand #0 of type 'tensor<?x1x1099511627776x1099511627776xf32>' has more elements than int64 can count}}
  %y = he.flatten %x : tensor<?x1x1099511627776x1099511627776xf32> -> tensor<?x0xf32>
  return
}

// -----

func.func @poly_type(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'he.poly_act' op requires the same type for all operands and results}}
  %y = "he.poly_act"(%x) {coeffs = array<f64: 0.0, 1.0>} : (tensor<?x4xf32>) -> tensor<?x5xf32>
  return
}

// -----

func.func @blend_lambda(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'he.blend' op expects lambda in [0, 1], got 1.5}}
  %y = he.blend %x, %x lambda 1.5 : tensor<?x4xf32>
  return
}

// -----

func.func @blend_lambda_negative(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'he.blend' op expects lambda in [0, 1], got -0.25}}
  %y = he.blend %x, %x lambda -0.25 : tensor<?x4xf32>
  return
}

// -----

func.func @blend_types(%x: tensor<?x4xf32>, %z: tensor<?x5xf32>) {
  // expected-error @+1 {{'he.blend' op failed to verify that all of {from, to, result} have same type}}
  %y = "he.blend"(%x, %z) {lambda = 0.5 : f64} : (tensor<?x4xf32>, tensor<?x5xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @relu_type(%x: tensor<?x4xf32>) {
  // expected-error @+2 {{'he.relu' op inferred type(s) 'tensor<?x4xf32>' are incompatible with return type(s) of operation 'tensor<4x4xf32>'}}
  // expected-error @+1 {{'he.relu' op failed to infer returned types}}
  %y = "he.relu"(%x) : (tensor<?x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @add_broadcast(%x: tensor<?x4x2x2xf32>, %c: tensor<3x1x1xf32>) {
  // expected-error @+1 {{'he.add' op expects rhs [3, 1, 1] to broadcast to lhs [?, 4, 2, 2]}}
  %y = he.add %x, %c : tensor<?x4x2x2xf32>, tensor<3x1x1xf32>
  return
}

// -----

func.func @concat_shapes(%a: tensor<?x4x2x2xf32>, %b: tensor<?x4x3x3xf32>) {
  // expected-error @+1 {{'he.concat' op expects inputs equal outside axis 1, got [?, 4, 2, 2] and [?, 4, 3, 3]}}
  %y = he.concat %a, %b : (tensor<?x4x2x2xf32>, tensor<?x4x3x3xf32>) -> tensor<?x8x2x2xf32>
  return
}

// -----

func.func @concat_sum(%a: tensor<?x4x2x2xf32>, %b: tensor<?x3x2x2xf32>) {
  // expected-error @+1 {{'he.concat' op expects result shape [?, 7, 2, 2], got [?, 8, 2, 2]}}
  %y = he.concat %a, %b : (tensor<?x4x2x2xf32>, tensor<?x3x2x2xf32>) -> tensor<?x8x2x2xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{'he.concat' op expects axis in [0, 2), got 2}}
  %y = he.concat %a {axis = 2} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+1 {{'he.concat' op expects at least one input}}
  %y = "he.concat"() : () -> tensor<?x4xf32>
  return
}

// -----

func.func @flatten_result(%x: tensor<?x4x2x2xf32>) {
  // expected-error @+1 {{'he.flatten' op expects result shape [?, 16], got [?, 15]}}
  %y = he.flatten %x : tensor<?x4x2x2xf32> -> tensor<?x15xf32>
  return
}

// -----

func.func @flatten_rank(%x: tensor<?xf32>) {
  // expected-error @+1 {{'he.flatten' op expects input of rank >= 2, got [?]}}
  %y = he.flatten %x : tensor<?xf32> -> tensor<?x1xf32>
  return
}

// -----

func.func @dropout_p(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'he.dropout' op expects p in [0, 1), got 1}}
  %y = he.dropout %x {p = 1.0} : tensor<?x4xf32>
  return
}
