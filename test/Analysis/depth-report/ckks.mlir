// The CKKS ring dimension: the smallest N whose max log2 Q (HE Standard,
// ternary secrets, classical security) holds 60 + depth*40 + 60.
// The network below has depth 3: log_q = 60 + 3*40 + 60 = 240.

// 128 bits: 240 > 218 (N = 8192), <= 438: N = 16384.
// RUN: he-opt %s --depth-report | FileCheck %s --check-prefix=S128
// S128: CKKS at 128-bit security: log_q = 60 + 3*40 + 60 = 240
// S128-NEXT: ring dimension N = 16384 (max log_q 438), 8192 slots

// 192 bits: 240 <= 305: N = 16384 as well.
// RUN: he-opt %s --depth-report-security=192 | FileCheck %s --check-prefix=S192
// S192: CKKS at 192-bit security: log_q = 60 + 3*40 + 60 = 240
// S192-NEXT: ring dimension N = 16384 (max log_q 305), 8192 slots

// 256 bits: 240 > 237: N = 32768.
// RUN: he-opt %s --depth-report-security=256 | FileCheck %s --check-prefix=S256
// S256: CKKS at 256-bit security: log_q = 60 + 3*40 + 60 = 240
// S256-NEXT: ring dimension N = 32768 (max log_q 476), 16384 slots

// Smaller primes: 30 + 3*20 + 30 = 120 > 109 (N = 4096), <= 218 at 128
// bits: N = 8192. A modulus of exactly 109 = 25 + 3*20 + 24 still fits
// N = 4096: the table's bound is inclusive.
// RUN: he-opt %s --depth-report="scale-bits=20 first-mod-bits=30 special-prime-bits=30" | FileCheck %s --check-prefix=SMALL
// SMALL: log_q = 30 + 3*20 + 30 = 120
// SMALL-NEXT: ring dimension N = 8192 (max log_q 218), 4096 slots
// RUN: he-opt %s --depth-report-scale-bits=20 --depth-report-first-mod-bits=25 --depth-report-special-prime-bits=24 | FileCheck %s --check-prefix=EDGE
// EDGE: log_q = 25 + 3*20 + 24 = 109
// EDGE-NEXT: ring dimension N = 4096 (max log_q 109), 2048 slots

// JSON carries the same choice.
// RUN: he-opt %s --depth-report-format=json --depth-report-security=256 | python3 %S/Inputs/json_fields.py | FileCheck %s --check-prefix=JSON
// JSON:      ckks first_mod_bits 60
// JSON-NEXT: ckks fits true
// JSON-NEXT: ckks log_q 240
// JSON-NEXT: ckks max_log_q 476
// JSON-NEXT: ckks ring_dimension 32768
// JSON-NEXT: ckks scale_bits 40
// JSON-NEXT: ckks security_bits 256
// JSON-NEXT: ckks slots 16384
// JSON-NEXT: ckks special_prime_bits 60

// Too deep: with 300-bit scales, 60 + 3*300 + 60 = 1020 > 881, the largest
// modulus of the table at 128 bits (N = 32768): it needs bootstrapping.
// RUN: he-opt %s --depth-report-scale-bits=300 | FileCheck %s --check-prefix=DEEP
// DEEP: log_q = 60 + 3*300 + 60 = 1020
// DEEP-NEXT: does not fit: needs bootstrapping: log_q 1020 exceeds 881, the largest for 128-bit security (N = 32768)
// RUN: he-opt %s --depth-report-format=json --depth-report-scale-bits=300 | python3 %S/Inputs/json_fields.py | FileCheck %s --check-prefix=DEEPJSON
// DEEPJSON:      ckks fits false
// DEEPJSON-NEXT: ckks log_q 1020
// DEEPJSON-NEXT: ckks max_log_q null
// DEEPJSON-NEXT: ckks message "needs bootstrapping: {{.*}}"
// DEEPJSON-NEXT: ckks ring_dimension null
// DEEPJSON:      ckks slots null
func.func @net(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w = he.param "fc.weight" : tensor<4x4xf32>
  %y = he.linear %x, %w : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32>
  %z = he.poly_act %y coeffs [0.0, 1.0, 2.0] : tensor<?x4xf32>
  return %z : tensor<?x4xf32>
}
