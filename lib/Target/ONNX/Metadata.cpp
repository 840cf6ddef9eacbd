#include "lib/Target/ONNX/Metadata.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
namespace json = llvm::json;

#ifndef HEC_VERSION
#define HEC_VERSION "unknown"
#endif

namespace he::onnx_export {
namespace {
void put(onnx::ModelProto &model, llvm::StringRef key, std::string value) {
  onnx::StringStringEntryProto &e = *model.add_metadata_props();
  e.set_key(key.str());
  e.set_value(std::move(value));
}

std::string compact(json::Value v) { return llvm::formatv("{0}", v).str(); }

/// The module's `key`, an array of `n` elements of `Attr`, read by `get`;
/// `fallback` for each when the attribute is absent.
template <typename Attr, typename Get>
FailureOr<json::Array>
readArray(ModuleOp module, llvm::StringRef key, size_t n,
          llvm::StringRef expected, Get get,
          llvm::function_ref<json::Value(size_t)> fallback) {
  json::Array out;
  Attribute attr = module->getAttr(key);
  if (!attr) {
    for (size_t i = 0; i < n; ++i)
      out.push_back(fallback(i));
    return out;
  }
  auto array = dyn_cast<ArrayAttr>(attr);
  if (!array || array.size() != n ||
      !llvm::all_of(array, [](Attribute a) { return isa<Attr>(a); }))
    return module.emitError() << "'" << key << "' must be an array of " << n
                              << " " << expected << ", got " << attr;
  for (Attribute a : array)
    out.push_back(get(cast<Attr>(a)));
  return out;
}
} // namespace

LogicalResult writeMetadata(onnx::ModelProto &model, ModuleOp module,
                            const DepthReportData &report,
                            llvm::ArrayRef<int64_t> inputShape,
                            int64_t classes) {
  size_t channels = inputShape.empty() ? 0 : size_t(inputShape[0]);
  auto names = readArray<StringAttr>(
      module, "he.class_names", size_t(classes), "strings (one per class)",
      [](StringAttr s) { return json::Value(s.str()); },
      [](size_t i) { return json::Value(std::to_string(i)); });
  auto floatOf = [](FloatAttr f) { return json::Value(f.getValueAsDouble()); };
  auto mean = readArray<FloatAttr>(module, "he.input_mean", channels,
                                   "floats (one per input channel)", floatOf,
                                   [](size_t) { return json::Value(0.0); });
  auto stdev = readArray<FloatAttr>(module, "he.input_std", channels,
                                    "floats (one per input channel)", floatOf,
                                    [](size_t) { return json::Value(1.0); });
  if (failed(names) || failed(mean) || failed(stdev))
    return failure();

  json::Value depthJson = depthReportJson(report);
  json::Value ckks = *depthJson.getAsObject()->get("ckks");
  json::Array shape;
  for (int64_t d : inputShape)
    shape.push_back(d);

  put(model, "hec.version", HEC_VERSION);
  put(model, "hec.total_depth", std::to_string(*report.depth.totalDepth));
  put(model, "hec.ckks", compact(std::move(ckks)));
  put(model, "hec.class_names", compact(std::move(*names)));
  put(model, "hec.input_mean", compact(std::move(*mean)));
  put(model, "hec.input_std", compact(std::move(*stdev)));
  put(model, "hec.input_shape", compact(std::move(shape)));
  return success();
}
} // namespace he::onnx_export
