#include "runtime/Checkpoint.h"
#include "runtime/TemporaryPath.h"

#include <fmt/format.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace he::runtime {
namespace {
constexpr char kMagic[8] = {'H', 'E', 'C', 'C', 'K', 'P', 'T', '\n'};
constexpr size_t kHeaderSize = 24;
constexpr int kMaxRank = 8;

enum class Type : uint8_t { Int = 0, Double = 1, String = 2, Tensor = 3 };

struct DType {
  uint8_t code;
  torch::ScalarType type;
  size_t size;
};
constexpr DType kDTypes[] = {{0, torch::kFloat, 4},
                             {1, torch::kDouble, 8},
                             {2, torch::kLong, 8},
                             {3, torch::kInt, 4},
                             {4, torch::kByte, 1}};

const DType *dtypeOf(torch::ScalarType type) {
  for (const DType &d : kDTypes)
    if (d.type == type)
      return &d;
  return nullptr;
}

const DType *dtypeOf(uint8_t code) {
  for (const DType &d : kDTypes)
    if (d.code == code)
      return &d;
  return nullptr;
}

uint32_t crcOf(const uint8_t *data, size_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths: feed large payloads in pieces.
  while (size > 0) {
    uInt chunk = uInt(std::min<size_t>(size, 1u << 30));
    crc = crc32(crc, data, chunk);
    data += chunk;
    size -= chunk;
  }
  return uint32_t(crc);
}

class Writer {
public:
  std::vector<uint8_t> bytes;
  template <typename T> void put(T v) {
    for (size_t i = 0; i < sizeof(T); ++i)
      bytes.push_back(uint8_t(uint64_t(v) >> (8 * i)));
  }
  void putDouble(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    put(bits);
  }
  void putBytes(const void *p, size_t n) {
    auto *b = static_cast<const uint8_t *>(p);
    bytes.insert(bytes.end(), b, b + n);
  }
};

class Reader {
public:
  Reader(const uint8_t *data, size_t size, const std::string &name)
      : p_(data), end_(data + size), name_(name) {}

  [[noreturn]] void fail(const std::string &what) const {
    throw CheckpointError(fmt::format("{}: {}", name_, what));
  }
  size_t left() const { return size_t(end_ - p_); }
  void need(size_t n, const std::string &what) const {
    if (left() < n)
      fail(fmt::format("truncated payload: {} needs {} bytes, {} left", what, n,
                       left()));
  }
  template <typename T> T get(const std::string &what) {
    need(sizeof(T), what);
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
      v |= uint64_t(p_[i]) << (8 * i);
    p_ += sizeof(T);
    return T(v);
  }
  double getDouble(const std::string &what) {
    uint64_t bits = get<uint64_t>(what);
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
  const uint8_t *take(size_t n, const std::string &what) {
    need(n, what);
    const uint8_t *at = p_;
    p_ += n;
    return at;
  }

private:
  const uint8_t *p_, *end_;
  const std::string &name_;
};

std::string describeType(const Checkpoint::Value &v) {
  static const char *names[] = {"an integer", "a number", "a string",
                                "a tensor"};
  return names[v.index()];
}

[[noreturn]] void systemError(const std::string &what, const std::string &path,
                              int error) {
  throw Error(
      fmt::format("cannot {} {}: {}", what, path, std::strerror(error)));
}
} // namespace

void Checkpoint::setTensor(const std::string &key, const torch::Tensor &t) {
  if (!dtypeOf(t.scalar_type()))
    throw Error(fmt::format("checkpoint entry '{}': unsupported tensor type {}",
                            key, c10::toString(t.scalar_type())));
  if (t.dim() > kMaxRank)
    throw Error(fmt::format("checkpoint entry '{}': rank {} > {}", key, t.dim(),
                            kMaxRank));
  entries_[key] = t.detach().to(torch::kCPU).contiguous().clone();
}

template <typename T> const T &Checkpoint::get(const std::string &key) const {
  auto it = entries_.find(key);
  std::string name = source_.empty() ? "checkpoint" : source_;
  if (it == entries_.end())
    throw CheckpointError(fmt::format("{}: no entry '{}'", name, key));
  if (auto *v = std::get_if<T>(&it->second))
    return *v;
  throw CheckpointError(fmt::format("{}: entry '{}' is {}, expected {}", name,
                                    key, describeType(it->second),
                                    describeType(Value(T()))));
}

int64_t Checkpoint::getInt(const std::string &key) const {
  return get<int64_t>(key);
}
double Checkpoint::getDouble(const std::string &key) const {
  return get<double>(key);
}
const std::string &Checkpoint::getString(const std::string &key) const {
  return get<std::string>(key);
}
const torch::Tensor &Checkpoint::getTensor(const std::string &key) const {
  return get<torch::Tensor>(key);
}

std::vector<std::string>
Checkpoint::keysWithPrefix(const std::string &prefix) const {
  std::vector<std::string> out;
  for (auto it = entries_.lower_bound(prefix);
       it != entries_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
       ++it)
    out.push_back(it->first);
  return out;
}

std::vector<uint8_t> Checkpoint::encode() const {
  Writer payload;
  payload.put(uint32_t(entries_.size()));
  for (const auto &[key, value] : entries_) {
    if (key.size() > 0xffff)
      throw Error(fmt::format("checkpoint key too long: {}", key.size()));
    payload.put(uint16_t(key.size()));
    payload.putBytes(key.data(), key.size());
    payload.put(uint8_t(value.index()));
    if (auto *i = std::get_if<int64_t>(&value)) {
      payload.put(uint64_t(*i));
    } else if (auto *d = std::get_if<double>(&value)) {
      payload.putDouble(*d);
    } else if (auto *s = std::get_if<std::string>(&value)) {
      payload.put(uint64_t(s->size()));
      payload.putBytes(s->data(), s->size());
    } else {
      const torch::Tensor &t = std::get<torch::Tensor>(value);
      const DType *d = dtypeOf(t.scalar_type());
      payload.put(d->code);
      payload.put(uint8_t(t.dim()));
      for (int64_t size : t.sizes())
        payload.put(uint64_t(size));
      payload.putBytes(t.data_ptr(), size_t(t.numel()) * d->size);
    }
  }
  Writer out;
  out.putBytes(kMagic, sizeof kMagic);
  out.put(kCheckpointVersion);
  out.put(crcOf(payload.bytes.data(), payload.bytes.size()));
  out.put(uint64_t(payload.bytes.size()));
  out.bytes.insert(out.bytes.end(), payload.bytes.begin(), payload.bytes.end());
  return std::move(out.bytes);
}

Checkpoint Checkpoint::decode(const uint8_t *data, size_t size,
                              const std::string &name) {
  Reader header(data, size, name);
  if (size < sizeof kMagic || std::memcmp(data, kMagic, sizeof kMagic) != 0)
    header.fail("not a hec checkpoint (wrong magic bytes)");
  if (size < kHeaderSize)
    header.fail(fmt::format("truncated header: {} bytes, expected {}", size,
                            kHeaderSize));
  header.take(sizeof kMagic, "magic");
  uint32_t version = header.get<uint32_t>("version");
  if (version != kCheckpointVersion)
    header.fail(fmt::format("format version {}, this hec reads version {}",
                            version, kCheckpointVersion));
  uint32_t crc = header.get<uint32_t>("checksum");
  uint64_t length = header.get<uint64_t>("length");
  if (header.left() < length)
    header.fail(fmt::format("truncated: the header announces {} payload "
                            "bytes, the file has {}",
                            length, header.left()));
  if (header.left() > length)
    header.fail(fmt::format("{} trailing bytes after the {} payload bytes",
                            header.left() - length, length));
  const uint8_t *payload = data + kHeaderSize;
  if (uint32_t actual = crcOf(payload, length); actual != crc)
    header.fail(fmt::format("checksum mismatch (stored 0x{:08x}, computed "
                            "0x{:08x}): the file is corrupt",
                            crc, actual));

  Checkpoint ck;
  ck.source_ = name;
  Reader r(payload, length, name);
  uint32_t count = r.get<uint32_t>("entry count");
  for (uint32_t n = 0; n < count; ++n) {
    std::string where = fmt::format("entry {}", n);
    uint16_t keyLength = r.get<uint16_t>(where + " key length");
    const uint8_t *keyBytes = r.take(keyLength, where + " key");
    std::string key(reinterpret_cast<const char *>(keyBytes), keyLength);
    where = fmt::format("entry '{}'", key);
    if (ck.entries_.count(key))
      r.fail(fmt::format("{} appears twice", where));
    uint8_t type = r.get<uint8_t>(where + " type");
    switch (Type(type)) {
    case Type::Int:
      ck.entries_[key] = int64_t(r.get<uint64_t>(where));
      break;
    case Type::Double:
      ck.entries_[key] = r.getDouble(where);
      break;
    case Type::String: {
      uint64_t length = r.get<uint64_t>(where + " length");
      r.need(length, where);
      const uint8_t *s = r.take(length, where);
      ck.entries_[key] =
          std::string(reinterpret_cast<const char *>(s), size_t(length));
      break;
    }
    case Type::Tensor: {
      uint8_t code = r.get<uint8_t>(where + " dtype");
      const DType *d = dtypeOf(code);
      if (!d)
        r.fail(fmt::format("{} has unknown tensor type {}", where, code));
      uint8_t rank = r.get<uint8_t>(where + " rank");
      if (rank > kMaxRank)
        r.fail(fmt::format("{} has rank {} > {}", where, rank, kMaxRank));
      std::vector<int64_t> shape;
      uint64_t bytes = d->size;
      for (uint8_t i = 0; i < rank; ++i) {
        uint64_t dim = r.get<uint64_t>(where + " shape");
        // Bounded by what is left, so that the product cannot overflow.
        if (dim > r.left() || (dim && bytes > r.left() / dim + 1))
          r.fail(fmt::format("{} has a dimension of {} that the remaining {} "
                             "bytes cannot hold",
                             where, dim, r.left()));
        bytes *= dim;
        shape.push_back(int64_t(dim));
      }
      const uint8_t *raw = r.take(bytes, where + " data");
      torch::Tensor t = torch::empty(shape, torch::TensorOptions(d->type));
      if (bytes)
        std::memcpy(t.data_ptr(), raw, bytes);
      ck.entries_[key] = std::move(t);
      break;
    }
    default:
      r.fail(fmt::format("{} has unknown type {}", where, type));
    }
  }
  if (r.left())
    r.fail(
        fmt::format("{} bytes after the last of {} entries", r.left(), count));
  return ck;
}

namespace {
// Writes to an existing path that is not a regular file (/dev/null,
// /dev/stdout, a FIFO): in place, since a rename would replace the device
// node or the FIFO by a regular file (as root, --logits=/dev/null once
// would have).
void writeInPlace(const std::string &path, const uint8_t *p, size_t size) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    systemError("write", path, errno);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      int error = n < 0 ? errno : ENOSPC;
      ::close(fd);
      systemError("write", path, error);
    }
    p += n;
    size -= size_t(n);
  }
  if (::close(fd) != 0)
    systemError("close", path, errno);
}
} // namespace

void writeFileAtomic(const std::string &path, const void *bytes, size_t size) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode))
      systemError("write", path, EISDIR);
    return writeInPlace(path, static_cast<const uint8_t *>(bytes), size);
  }
  std::string tmp = temporaryPathFor(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    systemError("write", tmp, errno);
  auto abandon = [&](const char *what, int error) {
    ::close(fd);
    ::unlink(tmp.c_str());
    systemError(what, tmp, error);
  };
  auto *p = static_cast<const uint8_t *>(bytes);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      abandon("write", n < 0 ? errno : ENOSPC);
    p += n;
    size -= size_t(n);
  }
  if (::fsync(fd) != 0)
    abandon("flush", errno);
  if (::close(fd) != 0) {
    int error = errno;
    ::unlink(tmp.c_str());
    systemError("close", tmp, error);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot rename {} to {}: {}", tmp, path,
                            std::strerror(error)));
  }
}

void writeCheckpoint(const std::string &path, const Checkpoint &checkpoint) {
  std::vector<uint8_t> bytes = checkpoint.encode();
  writeFileAtomic(path, bytes.data(), bytes.size());
}

Checkpoint readCheckpoint(const std::string &path) {
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    throw CheckpointError(
        fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::vector<uint8_t> bytes;
  uint8_t buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
    bytes.insert(bytes.end(), buffer, buffer + n);
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed)
    throw CheckpointError(fmt::format("{}: read error", path));
  return Checkpoint::decode(bytes.data(), bytes.size(), path);
}
} // namespace he::runtime
