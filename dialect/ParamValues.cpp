#include "dialect/ParamValues.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

std::optional<std::vector<float>> he::readParamValue(ParamOp param) {
  ElementsAttr value = param.getValueAttr();
  if (!value)
    return std::nullopt;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    ArrayRef<char> bytes = blob->getData();
    if (bytes.size() != value.getNumElements() * sizeof(float))
      return std::nullopt;
    const float *data = reinterpret_cast<const float *>(bytes.data());
    return std::vector<float>(data, data + value.getNumElements());
  }
  if (auto dense = dyn_cast<DenseFPElementsAttr>(value)) {
    std::vector<float> out;
    out.reserve(dense.getNumElements());
    for (const APFloat &f : dense.getValues<APFloat>())
      out.push_back(f.convertToFloat());
    return out;
  }
  return std::nullopt;
}

std::string he::resourceKeyFor(StringRef name) {
  // MLIR 19 prints a resource key as it is, and reads one back only as a
  // bare identifier ([A-Za-z_][A-Za-z0-9_$.]*): "conv1 weight" or
  // "0.weight" as a key made model.mlir unreadable.
  std::string key;
  for (char c : name)
    key += llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_';
  if (key.empty() || !(llvm::isAlpha(key.front()) || key.front() == '_'))
    key.insert(key.begin(), '_');
  return key;
}

ElementsAttr he::makeParamValue(RankedTensorType type, ArrayRef<float> values,
                                StringRef key) {
  if (!values.empty() &&
      llvm::all_of(values, [&](float v) { return v == values.front(); }))
    return DenseElementsAttr::get(type, values.front());
  auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(values);
  return DenseResourceElementsAttr::get(type, resourceKeyFor(key),
                                        std::move(blob));
}

void he::writeParamValue(ParamOp param, ArrayRef<float> values) {
  auto type = cast<RankedTensorType>(param.getType());
  param.setValueAttr(makeParamValue(type, values, param.getParamName()));
}
