// What the parser and the runtime both know about each data kind: its
// classes, the size its images are stored at, whether the runtime resizes
// them, and the file names of its release. The parser (DataKeys.cpp) checks
// an experiment against these facts; the driver's data check
// (tools/hec/ExperimentData.cpp) reads the sizes, and the runtime's COVIDx
// and CIFAR-10 sources (runtime/data/Covidx.cpp, Cifar10.cpp) the file
// names. Header-only and LibTorch-free, so that the runtime includes it
// without linking the front end.
#ifndef HE_FRONTEND_DATASETS_H
#define HE_FRONTEND_DATASETS_H

#include "lib/Frontend/Experiment.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace he::frontend {
using ImageSize = std::array<int64_t, 3>; ///< [C, H, W]

/// The number of classes of a fixed data set, nullopt for image folders,
/// COVIDx (three classes, or two in its later releases) and synthetic data
/// (their count comes from the experiment or the data).
inline std::optional<int64_t> datasetClasses(DataKind kind) {
  if (kind == DataKind::FashionMnist || kind == DataKind::Cifar10)
    return 10;
  return std::nullopt;
}

/// The size of `kind`'s images as the data set stores them (synthetic:
/// data.image_size's default); data.image_size defaults to it when the model
/// does not set it.
inline ImageSize nativeImageSize(DataKind kind) {
  switch (kind) {
  case DataKind::FashionMnist:
  case DataKind::Synthetic:
    return {1, 28, 28};
  case DataKind::Cifar10:
    return {3, 32, 32};
  default:
    return {3, 224, 224};
  }
}

/// Whether the runtime reads `kind`'s images at any data.image_size:
/// image folders, COVIDx and CIFAR-10 are resized (and turned grey or RGB)
/// into the decode cache, synthetic images are generated at it. Fashion-MNIST
/// is read as its IDX files store it, [1, 28, 28]: neither resized nor
/// repeated over three channels.
inline bool resizesImages(DataKind kind) {
  return kind != DataKind::FashionMnist;
}

/// The one data.image_size that `kind` can be read at, when the runtime does
/// not resize it (resizesImages); nullopt when any size is read.
inline std::optional<ImageSize> fixedImageSize(DataKind kind) {
  if (resizesImages(kind))
    return std::nullopt;
  return nativeImageSize(kind);
}

/// CIFAR-10's binary version: data_batch_1.bin ... data_batch_5.bin, and
/// test_batch.bin.
inline constexpr int kCifar10TrainBatches = 5;
inline std::string cifar10TrainBatch(int batch) {
  return "data_batch_" + std::to_string(batch) + ".bin";
}
inline constexpr const char *kCifar10TestBatch = "test_batch.bin";

/// COVIDx CT-2A keeps its images in this folder, which tells its release
/// from CXR's.
inline constexpr const char *kCovidxCtImages = "2A_images";
/// The label files each COVIDx release names its splits with.
struct CovidxListNames {
  const char *cxr, *ct;
};
inline constexpr CovidxListNames kCovidxTrainList = {"train.txt",
                                                     "train_COVIDx_CT-2A.txt"};
inline constexpr CovidxListNames kCovidxValList = {"val.txt",
                                                   "val_COVIDx_CT-2A.txt"};
inline constexpr CovidxListNames kCovidxTestList = {"test.txt",
                                                    "test_COVIDx_CT-2A.txt"};
} // namespace he::frontend

#endif // HE_FRONTEND_DATASETS_H
