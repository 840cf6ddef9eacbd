// COVIDx as COVID-Net distributes it.
// - CXR: images under <path>/train/ and <path>/test/ (val images under
//   <path>/val/ when that folder exists, else <path>/train/); label-file
//   lines "patient_id filename label source", labels normal, pneumonia,
//   COVID-19 (three classes) or, in the later releases, negative, positive.
// - CT-2A: images under <path>/2A_images/; lines "filename label xmin ymin
//   xmax ymax", labels 0 normal, 1 pneumonia, 2 COVID-19; each slice is
//   cropped to its box before resizing.
// X-rays and CT slices are grey: the cache keeps one channel and batches
// repeat it when the network takes three.
#include "lib/Frontend/DataSets.h"
#include "runtime/data/ImageCache.h"
#include "runtime/data/Source.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace he::runtime {
namespace {
const std::vector<std::string> kThreeClasses = {"normal", "pneumonia",
                                                "COVID-19"};
const std::vector<std::string> kTwoClasses = {"negative", "positive"};

struct Listing {
  std::vector<ImageEntry> entries;
  std::vector<std::string> classes;
};

bool isCt(const std::string &path) {
  return fs::is_directory(fs::path(path) / frontend::kCovidxCtImages);
}

std::vector<std::string> fields(const std::string &line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string f; in >> f;)
    out.push_back(f);
  return out;
}

std::optional<int64_t> parseInt(const std::string &s) {
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used);
    if (used == s.size())
      return v;
  } catch (const std::exception &) {
  }
  return std::nullopt;
}

// Calls `onLine(fields, where)` for each non-blank line of a label file,
// `where` naming it as "file:line", after checking its field count.
template <typename F>
void forEachLine(const std::string &list, size_t count, const char *names,
                 F onLine) {
  std::ifstream in(list);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::vector<std::string> f = fields(line);
    if (f.empty())
      continue;
    std::string where = fmt::format("{}:{}", list, number);
    if (f.size() != count)
      throw Error(fmt::format("{}: expected {} fields ({}), found {}", where,
                              count, names, f.size()));
    onLine(f, where);
  }
}

// CXR: the class scheme (three classes or negative/positive) is that of the
// labels the file uses; mixing the two is an error.
Listing readCxr(const std::string &list, const fs::path &images) {
  Listing out;
  forEachLine(
      list, 4, "patient_id filename label source",
      [&](const std::vector<std::string> &f, const std::string &where) {
        const std::vector<std::string> *scheme = nullptr;
        for (const auto *s : {&kThreeClasses, &kTwoClasses})
          if (std::find(s->begin(), s->end(), f[2]) != s->end())
            scheme = s;
        if (!scheme)
          throw Error(fmt::format("{}: unknown label '{}' (expected normal, "
                                  "pneumonia, COVID-19, or negative, positive)",
                                  where, f[2]));
        if (!out.classes.empty() && out.classes != *scheme)
          throw Error(
              fmt::format("{}: label '{}' mixes the two-class (negative, "
                          "positive) and three-class (normal, pneumonia, "
                          "COVID-19) releases",
                          where, f[2]));
        out.classes = *scheme;
        int64_t label =
            std::find(scheme->begin(), scheme->end(), f[2]) - scheme->begin();
        out.entries.push_back(
            {(images / f[1]).string(), label, std::nullopt, where});
      });
  return out;
}

Listing readCt(const std::string &list, const fs::path &images) {
  Listing out;
  out.classes = kThreeClasses;
  forEachLine(
      list, 6, "filename label xmin ymin xmax ymax",
      [&](const std::vector<std::string> &f, const std::string &where) {
        std::optional<int64_t> label = parseInt(f[1]);
        if (!label || *label < 0 || *label > 2)
          throw Error(
              fmt::format("{}: unknown label '{}' (expected 0 normal, 1 "
                          "pneumonia or 2 COVID-19)",
                          where, f[1]));
        int64_t box[4];
        for (int k = 0; k < 4; ++k) {
          std::optional<int64_t> v = parseInt(f[2 + k]);
          if (!v)
            throw Error(fmt::format("{}: box coordinate '{}' is not an integer",
                                    where, f[2 + k]));
          box[k] = *v;
        }
        out.entries.push_back({(images / f[0]).string(), *label,
                               CropBox{box[0], box[1], box[2], box[3]}, where});
      });
  return out;
}

class CovidxSource : public DataSource {
public:
  CovidxSource(std::string path, CovidxLists lists)
      : path_(std::move(path)), ct_(isCt(path_)) {
    auto pick = [&](const std::string &given,
                    const frontend::CovidxListNames &names) {
      return (fs::path(path_) / (!given.empty() ? given
                                 : ct_          ? names.ct
                                                : names.cxr))
          .string();
    };
    lists_[0] = pick(lists.train, frontend::kCovidxTrainList);
    lists_[1] = pick(lists.val, frontend::kCovidxValList);
    lists_[2] = pick(lists.test, frontend::kCovidxTestList);
  }

  bool hasSplit(Split split) const override {
    return fs::is_regular_file(list(split));
  }

  LoadedSplit load(Split split, const LoadOptions &o) const override {
    const std::string &file = list(split);
    if (!fs::is_regular_file(file))
      throw Error(fmt::format("{}: no such label file (COVIDx {}; set "
                              "data.{}_list to the release's file)",
                              file, ct_ ? "CT-2A" : "CXR", toString(split)));
    Listing listing =
        ct_ ? readCt(file, fs::path(path_) / frontend::kCovidxCtImages)
            : readCxr(file, imageFolder(split));
    if (listing.entries.empty())
      throw Error(fmt::format("{}: lists no image", file));
    std::array<int64_t, 3> stored = {1, o.imageSize[1], o.imageSize[2]};
    CacheRecipe recipe =
        imageListRecipe(ct_ ? std::string("ct-") + toString(split)
                            : std::string("cxr-") + toString(split),
                        listing.entries, stored);
    LoadedSplit out = loadOrBuildCache(recipe, cacheDirFor(path_, o), o, split);
    out.data.numClasses = int64_t(listing.classes.size());
    out.data.classNames = listing.classes;
    out.data.channels = o.imageSize[0];
    return out;
  }

private:
  const std::string &list(Split split) const {
    return lists_[split == Split::Train ? 0 : split == Split::Val ? 1 : 2];
  }
  fs::path imageFolder(Split split) const {
    fs::path root(path_);
    if (split == Split::Test)
      return root / "test";
    if (split == Split::Val && fs::is_directory(root / "val"))
      return root / "val";
    return root / "train";
  }
  std::string path_;
  bool ct_;
  std::string lists_[3];
};
} // namespace

std::unique_ptr<DataSource> covidxSource(const std::string &path,
                                         const CovidxLists &lists) {
  return std::make_unique<CovidxSource>(path, lists);
}
} // namespace he::runtime
