// Bad option values are errors, located at the module, and stop he-opt.

// A security level the HE Standard's table does not have.
// RUN: he-opt %s --depth-report-security=100 --verify-diagnostics
// expected-error@+1 {{depth-report: 'security' must be 128, 192 or 256 (bits), got 100}}
module {
  func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    return %x : tensor<?x4xf32>
  }
}

// The same error from the other spellings, and the other options' errors.
// RUN: not he-opt %s --depth-report="security=100" 2>&1 | FileCheck %s --check-prefix=SEC
// SEC: error: depth-report: 'security' must be 128, 192 or 256 (bits), got 100
// RUN: not he-opt %s --depth-report-format=xml 2>&1 | FileCheck %s --check-prefix=FORMAT
// FORMAT: error: depth-report: 'format' must be text or json, got 'xml'
// RUN: not he-opt %s --depth-report-scale-bits=0 2>&1 | FileCheck %s --check-prefix=SCALE
// SCALE: error: depth-report: 'scale-bits' must be in [1, 1024] bits, got 0
// RUN: not he-opt %s --depth-report-first-mod-bits=-3 2>&1 | FileCheck %s --check-prefix=FIRST
// FIRST: error: depth-report: 'first-mod-bits' must be in [1, 1024] bits, got -3
// RUN: not he-opt %s --depth-report-special-prime-bits=0 2>&1 | FileCheck %s --check-prefix=SPECIAL
// SPECIAL: error: depth-report: 'special-prime-bits' must be in [1, 1024] bits, got 0
// RUN: not he-opt %s --depth-report-conv-cost=-1 2>&1 | FileCheck %s --check-prefix=COST
// COST: error: depth-report: 'conv-cost' must be in [0, 1024] levels, got -1
// RUN: not he-opt %s --depth-report-add-cost=-2 2>&1 | FileCheck %s --check-prefix=ADD
// ADD: error: depth-report: 'add-cost' must be in [0, 1024] levels, got -2

// Values near 2^62 once wrapped log_q, the ring dimension and the total
// depth: every cost and bit count is bounded, the bound named.
// RUN: not he-opt %s --depth-report-mul-cost=4611686018427387904 2>&1 | FileCheck %s --check-prefix=HUGECOST
// HUGECOST: error: depth-report: 'mul-cost' must be in [0, 1024] levels, got 4611686018427387904
// RUN: not he-opt %s --depth-report-scale-bits=4611686018427387904 2>&1 | FileCheck %s --check-prefix=HUGEBITS
// HUGEBITS: error: depth-report: 'scale-bits' must be in [1, 1024] bits, got 4611686018427387904

// No report is printed when the options are bad.
// RUN: not he-opt %s --depth-report-security=100 2>/dev/null | FileCheck %s --check-prefix=NOREPORT --allow-empty
// NOREPORT-NOT: depth report

// A value that is not a number, or an option the pass does not have, is
// rejected by the pass option parser.
// RUN: not he-opt %s --depth-report-security=high 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: high
// RUN: not he-opt %s --depth-report-colour=red 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: colour
