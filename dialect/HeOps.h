// The `he` dialect: ops, generated from HeOps.td.
#ifndef HE_DIALECT_HEOPS_H
#define HE_DIALECT_HEOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialect/HeInterfaces.h"

#include "dialect/HeDialect.h.inc"
#include "dialect/HeFormat.h"
#include "dialect/HeTraits.h"

#define GET_OP_CLASSES
#include "dialect/HeOps.h.inc"

namespace he {
/// The layer name of `op` for reports and diagnostics: its `name` attribute,
/// else the name of its weight parameter without the ".weight" suffix, else
/// the op's mnemonic.
std::string layerName(mlir::Operation *op);
} // namespace he

#endif // HE_DIALECT_HEOPS_H
