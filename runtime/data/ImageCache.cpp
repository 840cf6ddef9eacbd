#include "runtime/data/ImageCache.h"
#include "runtime/Stop.h"
#include "runtime/TemporaryPath.h"
#include "runtime/data/DecodeAll.h"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace he::runtime {
namespace {
constexpr char kMagic[8] = {'H', 'E', 'C', 'U', '8', 'v', '0', '1'};
constexpr uint64_t kPage = 4096;

struct Header {
  char magic[8];
  uint64_t key, n, c, h, w, checksum, skippedBytes;
};

uint64_t roundUp(uint64_t x) { return (x + kPage - 1) / kPage * kPage; }

struct Layout {
  uint64_t labels, pixels, skipped, end;
};
Layout layoutOf(uint64_t n, uint64_t imageBytes, uint64_t skippedBytes) {
  Layout l;
  l.labels = kPage;
  l.pixels = roundUp(l.labels + 8 * n);
  l.skipped = l.pixels + n * imageBytes;
  l.end = l.skipped + skippedBytes;
  return l;
}

// FNV-1a over 8-byte words in four lanes (the lanes keep the multiplies
// independent, so it runs near memory speed); a checksum against damage,
// not an adversary.
uint64_t checksum(const uint8_t *p, uint64_t size) {
  const uint64_t prime = 0x100000001b3ULL;
  uint64_t h[4] = {0xcbf29ce484222325ULL, 1, 2, 3};
  uint64_t words = size / 8, i = 0;
  for (; i + 4 <= words; i += 4)
    for (int k = 0; k < 4; ++k) {
      uint64_t w;
      std::memcpy(&w, p + 8 * (i + k), 8);
      h[k] = (h[k] ^ w) * prime;
    }
  uint64_t out = h[0] ^ (h[1] * 3) ^ (h[2] * 5) ^ (h[3] * 7);
  for (uint64_t b = 8 * i; b < size; ++b)
    out = (out ^ p[b]) * prime;
  return out;
}

uint64_t hashString(const std::string &s) {
  return checksum(reinterpret_cast<const uint8_t *>(s.data()), s.size()) ^
         s.size();
}

class Mapping {
public:
  Mapping(int fd, uint64_t size, bool writable) : size_(size) {
    void *p = mmap(nullptr, size, writable ? PROT_READ | PROT_WRITE : PROT_READ,
                   MAP_SHARED, fd, 0);
    data_ = p == MAP_FAILED ? nullptr : static_cast<uint8_t *>(p);
  }
  ~Mapping() {
    if (data_)
      munmap(data_, size_);
  }
  uint8_t *data() const { return data_; }

private:
  uint8_t *data_;
  uint64_t size_;
};

std::string fileName(const CacheRecipe &r) {
  return fmt::format("{}-{}x{}x{}-", r.name, r.size[0], r.size[1], r.size[2]);
}

// The cache as a data set, when `path` is whole and made from `key`.
std::optional<LoadedSplit> open(const std::string &path, uint64_t key,
                                const CacheRecipe &r) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return std::nullopt;
  struct stat st;
  Header h;
  bool ok = fstat(fd, &st) == 0 && uint64_t(st.st_size) >= kPage &&
            pread(fd, &h, sizeof h, 0) == ssize_t(sizeof h) &&
            std::memcmp(h.magic, kMagic, 8) == 0 && h.key == key &&
            h.c == uint64_t(r.size[0]) && h.h == uint64_t(r.size[1]) &&
            h.w == uint64_t(r.size[2]) && h.n <= uint64_t(r.count);
  uint64_t imageBytes = h.c * h.h * h.w;
  Layout l = ok ? layoutOf(h.n, imageBytes, h.skippedBytes) : Layout{};
  ok = ok && uint64_t(st.st_size) == l.end;
  if (!ok) {
    ::close(fd);
    return std::nullopt;
  }
  auto map = std::make_shared<Mapping>(fd, l.end, /*writable=*/false);
  ::close(fd);
  if (!map->data() ||
      checksum(map->data() + l.labels, l.end - l.labels) != h.checksum)
    return std::nullopt;
  LoadedSplit out;
  out.data.labels =
      torch::from_blob(map->data() + l.labels, {int64_t(h.n)}, torch::kLong)
          .clone();
  out.data.images = torch::from_blob(
      map->data() + l.pixels,
      {int64_t(h.n), int64_t(h.c), int64_t(h.h), int64_t(h.w)},
      [map](void *) mutable { map.reset(); }, torch::kUInt8);
  std::string skipped(reinterpret_cast<const char *>(map->data() + l.skipped),
                      h.skippedBytes);
  for (size_t from = 0; from < skipped.size();) {
    size_t to = skipped.find('\n', from);
    out.skipped.push_back(skipped.substr(from, to - from));
    from = to == std::string::npos ? skipped.size() : to + 1;
  }
  out.cacheFile = path;
  return out;
}

void removeStale(const std::string &dir, const std::string &prefix,
                 const std::string &keep) {
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ".u8" &&
        entry.path().string() != keep)
      fs::remove(entry.path(), ec);
  }
}

void build(const CacheRecipe &r, const std::string &path, uint64_t key,
           const LoadOptions &o, Split split) {
  uint64_t imageBytes = uint64_t(r.size[0] * r.size[1] * r.size[2]);
  Layout full = layoutOf(r.count, imageBytes, 0);
  std::string tmp = temporaryPathFor(path);
  int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw Error(fmt::format("{}: cannot create the image cache ({})", tmp,
                            std::strerror(errno)));
  auto fail = [&](const std::string &what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw Error(fmt::format("{}: {} ({})", tmp, what, std::strerror(err)));
  };
  // posix_fallocate reserves the blocks: a full disk fails here, not with
  // SIGBUS while writing through the mapping.
  if (int err = posix_fallocate(fd, 0, off_t(full.end))) {
    errno = err;
    fail(fmt::format("cannot reserve {:.1f} MB for the image cache",
                     double(full.end) / 1e6));
  }
  std::vector<DecodeFailure> failures;
  std::string skippedText;
  uint64_t n = uint64_t(r.count);
  {
    Mapping map(fd, full.end, /*writable=*/true);
    if (!map.data())
      fail("cannot map the image cache");
    uint8_t *base = map.data();
    int threads = o.threads > 0
                      ? o.threads
                      : int(std::max(1u, std::thread::hardware_concurrency()));
    auto *labels = reinterpret_cast<int64_t *>(base + full.labels);
    try {
      failures = decodeAll(r, base + full.pixels, labels, imageBytes, threads,
                           split, o);
    } catch (const Interrupted &) {
      ::close(fd);
      ::unlink(tmp.c_str()); // no half-built cache is left behind
      throw;
    }
    if (!failures.empty() && !o.skipBadImages) {
      ::close(fd);
      ::unlink(tmp.c_str());
      failOnDecoding(r, failures);
    }
    // Close the gaps of the skipped images, keeping the order: first the
    // labels (the smaller layout's pixels may start where the last labels
    // are now), then each kept image straight to where the smaller layout
    // keeps it (at or before full.pixels: every move goes down, never over
    // an image not yet moved).
    n = uint64_t(r.count) - failures.size();
    Layout l = layoutOf(n, imageBytes, 0);
    std::vector<uint64_t> keep;
    keep.reserve(n);
    for (uint64_t i = 0, f = 0; i < uint64_t(r.count); ++i) {
      if (f < failures.size() && uint64_t(failures[f].index) == i) {
        std::string where = r.describe(int64_t(i));
        skippedText +=
            (where.empty() ? "" : where + ": ") + failures[f].message + "\n";
        ++f;
        continue;
      }
      labels[keep.size()] = labels[i];
      keep.push_back(i);
    }
    for (uint64_t k = 0; k < n; ++k)
      if (l.pixels + k * imageBytes != full.pixels + keep[k] * imageBytes)
        std::memmove(base + l.pixels + k * imageBytes,
                     base + full.pixels + keep[k] * imageBytes, imageBytes);
    if (!skippedText.empty())
      skippedText.pop_back();
    if (msync(base, full.end, MS_SYNC) != 0)
      fail("cannot write the image cache");
  }
  // The list of skipped images follows the pixels; it may reach past the
  // space reserved for all images, so it is written to the file, not
  // through the mapping of that space.
  Layout l = layoutOf(n, imageBytes, skippedText.size());
  if (ftruncate(fd, off_t(l.end)) != 0 ||
      pwrite(fd, skippedText.data(), skippedText.size(), off_t(l.skipped)) !=
          ssize_t(skippedText.size()))
    fail("cannot write the image cache");
  {
    Mapping map(fd, l.end, /*writable=*/true);
    if (!map.data())
      fail("cannot map the image cache");
    Header h;
    std::memcpy(h.magic, kMagic, 8);
    h.key = key;
    h.n = n;
    h.c = uint64_t(r.size[0]);
    h.h = uint64_t(r.size[1]);
    h.w = uint64_t(r.size[2]);
    h.skippedBytes = skippedText.size();
    h.checksum = checksum(map.data() + l.labels, l.end - l.labels);
    std::memcpy(map.data(), &h, sizeof h);
    if (msync(map.data(), l.end, MS_SYNC) != 0)
      fail("cannot write the image cache");
  }
  if (fsync(fd) != 0)
    fail("cannot write the image cache");
  ::close(fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw Error(fmt::format("{}: cannot rename the image cache into place "
                            "({})",
                            path, std::strerror(errno)));
  }
}
} // namespace

std::string cacheDirFor(const std::string &dataPath, const LoadOptions &o) {
  if (!o.cacheDir.empty())
    return o.cacheDir;
  fs::path beside = fs::path(dataPath) / ".hec-cache";
  std::error_code ec;
  fs::create_directories(beside, ec);
  if (!ec && access(beside.c_str(), W_OK) == 0)
    return beside.string();
  // A read-only data folder: the user's cache, one folder per data set.
  const char *xdg = std::getenv("XDG_CACHE_HOME");
  const char *home = std::getenv("HOME");
  fs::path root = xdg && *xdg
                      ? fs::path(xdg)
                      : fs::path(home && *home ? home : "/tmp") / ".cache";
  std::string absolute = fs::absolute(dataPath, ec).string();
  return (root / "hec" / fmt::format("{:016x}", hashString(absolute))).string();
}

CacheRecipe imageListRecipe(const std::string &name,
                            const std::vector<ImageEntry> &entries,
                            const std::array<int64_t, 3> &storedSize) {
  CacheRecipe r;
  r.name = name;
  r.count = int64_t(entries.size());
  r.size = storedSize;
  std::string key = "image-list\n";
  for (const ImageEntry &e : entries) {
    struct stat st;
    bool exists = ::stat(e.path.c_str(), &st) == 0;
    key += fmt::format("{}\t{}\t{}\t{}\t{}", e.path, e.label,
                       exists ? int64_t(st.st_size) : -1,
                       exists ? int64_t(st.st_mtim.tv_sec) : 0,
                       exists ? int64_t(st.st_mtim.tv_nsec) : 0);
    if (e.box)
      key += fmt::format("\t{} {} {} {}", e.box->xmin, e.box->ymin, e.box->xmax,
                         e.box->ymax);
    key += '\n';
  }
  r.key = std::move(key);
  r.decode = [&entries, storedSize](int64_t i) {
    const ImageEntry &e = entries[size_t(i)];
    return decodeImage(e.path, storedSize[0], storedSize[1], storedSize[2],
                       e.box);
  };
  r.label = [&entries](int64_t i) { return entries[size_t(i)].label; };
  r.describe = [&entries](int64_t i) {
    const ImageEntry &e = entries[size_t(i)];
    return e.origin;
  };
  return r;
}

LoadedSplit loadOrBuildCache(const CacheRecipe &r, const std::string &cacheDir,
                             const LoadOptions &o, Split split) {
  std::error_code ec;
  fs::create_directories(cacheDir, ec);
  if (ec)
    throw Error(fmt::format("{}: cannot create the image cache folder ({})",
                            cacheDir, ec.message()));
  uint64_t key = hashString(fmt::format("{}\n{}x{}x{}\n{}", r.name, r.size[0],
                                        r.size[1], r.size[2], r.key));
  std::string prefix = fileName(r);
  std::string path =
      (fs::path(cacheDir) / fmt::format("{}{:016x}.u8", prefix, key)).string();
  if (auto cached = open(path, key, r)) {
    cached->cacheReused = true;
    return std::move(*cached);
  }
  build(r, path, key, o, split);
  removeStale(cacheDir, prefix, path);
  auto built = open(path, key, r);
  if (!built)
    throw Error(fmt::format("{}: the image cache just written does not read "
                            "back",
                            path));
  return std::move(*built);
}
} // namespace he::runtime
