// The checkpoint file: named entries (integers, numbers, strings, tensors)
// in a checksummed frame, written atomically.
//
//   offset  size  field
//        0     8  magic "HECCKPT\n"
//        8     4  format version (little-endian u32, kCheckpointVersion)
//       12     4  CRC-32 of the payload (zlib's crc32)
//       16     8  payload length in bytes (u64)
//       24     n  payload: u32 entry count, then per entry a u16 key length,
//                 the key, a u8 type and the value (i64, f64, u64-length
//                 string, or tensor: u8 dtype, u8 rank, i64 dims, raw data)
//
// Every integer is little-endian. The reader checks everything (magic,
// version, length, checksum, each entry's bounds, duplicate keys, tensor
// sizes) and throws CheckpointError naming the file and what is wrong; it
// never returns a partly read checkpoint. The writer goes through a
// temporary file (`path.tmp.HOST.PID`, TemporaryPath.h; flushed and
// fsync'ed) and a rename, so the
// previous checkpoint stays intact until the new one is complete.
#ifndef HE_RUNTIME_CHECKPOINT_H
#define HE_RUNTIME_CHECKPOINT_H

#include "runtime/Error.h"

#include <torch/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace he::runtime {
constexpr uint32_t kCheckpointVersion = 2;

/// A checkpoint that cannot be read: its message starts with the path.
class CheckpointError : public Error {
public:
  using Error::Error;
};

class Checkpoint {
public:
  using Value = std::variant<int64_t, double, std::string, torch::Tensor>;

  void setInt(const std::string &key, int64_t v) { entries_[key] = v; }
  void setDouble(const std::string &key, double v) { entries_[key] = v; }
  void setString(const std::string &key, std::string v) {
    entries_[key] = std::move(v);
  }
  /// Stores a contiguous CPU copy; f32, f64, i64, i32 and u8 tensors only.
  void setTensor(const std::string &key, const torch::Tensor &t);

  bool has(const std::string &key) const { return entries_.count(key); }
  /// The entry of that type; throws CheckpointError (naming `source()`)
  /// when it is missing or of another type.
  int64_t getInt(const std::string &key) const;
  double getDouble(const std::string &key) const;
  const std::string &getString(const std::string &key) const;
  const torch::Tensor &getTensor(const std::string &key) const;
  /// The keys starting with `prefix`, in order.
  std::vector<std::string> keysWithPrefix(const std::string &prefix) const;

  /// The file it was read from (for messages); empty for a new one.
  const std::string &source() const { return source_; }

  std::vector<uint8_t> encode() const;
  /// Throws CheckpointError("<name>: <what is wrong>").
  static Checkpoint decode(const uint8_t *data, size_t size,
                           const std::string &name);

private:
  template <typename T> const T &get(const std::string &key) const;
  std::map<std::string, Value> entries_;
  std::string source_;
};

/// Writes `checkpoint` to `path` atomically; throws Error naming the path
/// and the system's reason (no space left, not writable) and leaves no
/// temporary file behind.
void writeCheckpoint(const std::string &path, const Checkpoint &checkpoint);
/// Reads and checks `path`; throws CheckpointError.
Checkpoint readCheckpoint(const std::string &path);

/// Writes `bytes` to `path` through a temporary beside it
/// (temporaryPathFor: `path.tmp.HOST.PID`): write, fsync, rename. Throws
/// Error naming the path and the reason; the temporary file is removed on
/// failure and `path` keeps its previous contents. An existing `path` that
/// is not a regular file (/dev/null, /dev/stdout, a FIFO) is written in
/// place, never replaced; a directory is an error.
void writeFileAtomic(const std::string &path, const void *bytes, size_t size);
} // namespace he::runtime

#endif
