// <path>/{train,val,test}/<class>/<image>, as torchvision's ImageFolder
// reads it: the classes are the training split's sub-folders in sorted
// order, the images each folder's files with an image extension, sorted.
#include "runtime/data/ImageCache.h"
#include "runtime/data/Source.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace he::runtime {
namespace {
bool hasImageExtension(const fs::path &p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  for (const char *known : {".jpg", ".jpeg", ".png", ".bmp", ".pgm", ".ppm",
                            ".tif", ".tiff", ".webp"})
    if (ext == known)
      return true;
  return false;
}

std::vector<std::string> sortedEntries(const fs::path &dir, bool folders) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.')
      continue;
    if (folders ? entry.is_directory(ec)
                : !entry.is_directory(ec) && hasImageExtension(entry.path()))
      names.push_back(name);
  }
  if (ec)
    throw Error(fmt::format("{}: cannot list the folder ({})", dir.string(),
                            ec.message()));
  std::sort(names.begin(), names.end());
  return names;
}

class ImageFolderSource : public DataSource {
public:
  explicit ImageFolderSource(std::string path) : path_(std::move(path)) {}

  bool hasSplit(Split split) const override {
    return fs::is_directory(folder(split));
  }

  LoadedSplit load(Split split, const LoadOptions &o) const override {
    fs::path train = folder(Split::Train), dir = folder(split);
    if (!fs::is_directory(train))
      throw Error(fmt::format("{}: no such folder (an image folder holds "
                              "train/ and test/, one sub-folder per class)",
                              train.string()));
    if (!fs::is_directory(dir))
      throw Error(fmt::format("{}: no such folder", dir.string()));
    std::vector<std::string> classes = sortedEntries(train, true);
    if (classes.size() < 2)
      throw Error(fmt::format("{}: {} class folder{}; an image folder needs "
                              "at least 2",
                              train.string(), classes.size(),
                              classes.size() == 1 ? "" : "s"));
    std::vector<ImageEntry> entries;
    for (const std::string &name : sortedEntries(dir, true)) {
      auto it = std::find(classes.begin(), classes.end(), name);
      if (it == classes.end())
        throw Error(fmt::format("{}: not a class of the training split "
                                "(whose classes are the folders of {})",
                                (dir / name).string(), train.string()));
      std::vector<std::string> files = sortedEntries(dir / name, false);
      if (files.empty())
        throw Error(fmt::format("{}: empty class folder (no .jpg, .png, "
                                ".bmp, ... file)",
                                (dir / name).string()));
      for (const std::string &file : files)
        entries.push_back({(dir / name / file).string(),
                           int64_t(it - classes.begin()), std::nullopt, ""});
    }
    CacheRecipe recipe = imageListRecipe(toString(split), entries, o.imageSize);
    LoadedSplit out = loadOrBuildCache(recipe, cacheDirFor(path_, o), o, split);
    out.data.numClasses = int64_t(classes.size());
    out.data.classNames = classes;
    out.data.channels = o.imageSize[0];
    return out;
  }

private:
  fs::path folder(Split split) const {
    return fs::path(path_) / toString(split);
  }
  std::string path_;
};
} // namespace

std::unique_ptr<DataSource> imageFolderSource(const std::string &path) {
  return std::make_unique<ImageFolderSource>(path);
}

} // namespace he::runtime
