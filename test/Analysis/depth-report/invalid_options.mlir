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
// SCALE: error: depth-report: 'scale-bits' must be at least 1, got 0
// RUN: not he-opt %s --depth-report-first-mod-bits=-3 2>&1 | FileCheck %s --check-prefix=FIRST
// FIRST: error: depth-report: 'first-mod-bits' must be at least 1, got -3
// RUN: not he-opt %s --depth-report-special-prime-bits=0 2>&1 | FileCheck %s --check-prefix=SPECIAL
// SPECIAL: error: depth-report: 'special-prime-bits' must be at least 1, got 0
// RUN: not he-opt %s --depth-report-conv-cost=-1 2>&1 | FileCheck %s --check-prefix=COST
// COST: error: depth-report: 'conv-cost' must not be negative, got -1
// RUN: not he-opt %s --depth-report-add-cost=-2 2>&1 | FileCheck %s --check-prefix=ADD
// ADD: error: depth-report: 'add-cost' must not be negative, got -2

// No report is printed when the options are bad.
// RUN: not he-opt %s --depth-report-security=100 2>/dev/null | FileCheck %s --check-prefix=NOREPORT --allow-empty
// NOREPORT-NOT: depth report

// A value that is not a number, or an option the pass does not have, is
// rejected by the pass option parser.
// RUN: not he-opt %s --depth-report-security=high 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: high
// RUN: not he-opt %s --depth-report-colour=red 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: colour
