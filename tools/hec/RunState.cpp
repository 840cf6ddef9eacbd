#include "tools/hec/RunState.h"

#include "runtime/Error.h"
#include "runtime/TemporaryPath.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/core.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace hec;

std::string hec::runFingerprint(const he::frontend::Experiment &exp,
                                int64_t maxBatchesPerEpoch) {
  // Where the runs train (the [slurm] table, printed last) does not change
  // their numbers.
  std::string text = he::frontend::printExperiment(exp);
  text.resize(std::min(text.size(), text.find("\n[slurm]\n")));
  text += llvm::formatv("\nmax_batches = {0}\n", maxBatchesPerEpoch).str();
  // A network file's contents count, not only its name.
  if (exp.model.isFile()) {
    if (auto crc = fileChecksum(exp.model.name))
      text += llvm::formatv("model_crc = {0}\n", *crc).str();
    else
      llvm::consumeError(crc.takeError());
  }
  uint64_t hash = 0xcbf29ce484222325ull; // FNV-1a
  for (unsigned char c : text)
    hash = (hash ^ c) * 0x100000001b3ull;
  return llvm::formatv("{0:x16}", hash).str();
}

llvm::Error hec::writeRunRecord(const RunFiles &files, const RunRecord &r,
                                const std::string &fingerprint) {
  llvm::json::Value depth = nullptr;
  if (r.depth)
    depth = *r.depth;
  llvm::json::Object o{{"method", r.method},
                       {"seed", r.seed},
                       {"accuracy", r.accuracy},
                       {"macro_f1", r.macroF1},
                       {"eval_accuracy", r.evalAccuracy},
                       {"depth", std::move(depth)},
                       {"images_per_s", r.imagesPerSecond},
                       {"diverged", r.diverged},
                       {"failed", r.failed},
                       {"message", r.message},
                       {"fingerprint", fingerprint}};
  if (!r.classNames.empty())
    o["classes"] = llvm::json::Array(r.classNames);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(o))) << "\n";
  return writeFileAtomically(files.record(), os.str());
}

llvm::Expected<std::optional<RunRecord>>
hec::readRunRecord(const RunFiles &files, const std::string &fingerprint) {
  std::string path = files.record();
  if (!llvm::sys::fs::exists(path))
    return std::nullopt;
  auto bad = [&](const std::string &what) {
    return llvm::createStringError(std::errc::invalid_argument, "%s: %s",
                                   path.c_str(), what.c_str());
  };
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return bad("cannot read: " + buffer.getError().message());
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return bad("not valid JSON: " + llvm::toString(json.takeError()));
  const llvm::json::Object *o = json->getAsObject();
  if (!o)
    return bad("expected a JSON object");
  RunRecord r;
  auto text = [&](const char *key, std::string &out) {
    auto v = o->getString(key);
    if (v)
      out = v->str();
    return v.has_value();
  };
  auto number = [&](const char *key, double &out) {
    auto v = o->getNumber(key);
    if (v)
      out = *v;
    return v.has_value();
  };
  auto flag = [&](const char *key, bool &out) {
    auto v = o->getBoolean(key);
    if (v)
      out = *v;
    return v.has_value();
  };
  std::string stored;
  std::optional<int64_t> seed = o->getInteger("seed");
  bool ok = text("method", r.method) && seed &&
            number("accuracy", r.accuracy) && number("macro_f1", r.macroF1) &&
            number("eval_accuracy", r.evalAccuracy) &&
            number("images_per_s", r.imagesPerSecond) &&
            flag("diverged", r.diverged) && flag("failed", r.failed) &&
            text("message", r.message) && text("fingerprint", stored) &&
            o->get("depth");
  if (!ok)
    return bad("missing or mistyped fields");
  r.seed = *seed;
  if (std::optional<int64_t> depth = o->getInteger("depth"))
    r.depth = *depth;
  if (const llvm::json::Array *classes = o->getArray("classes"))
    for (const llvm::json::Value &name : *classes)
      if (auto s = name.getAsString())
        r.classNames.push_back(s->str());
  if (stored != fingerprint)
    return bad("written for other settings (the experiment or --max-batches "
               "changed since); run without --resume to start over");
  return r;
}

namespace {
const char *const kRunFileNames[] = {
    "run.json",     "checkpoint.hec",      "metrics.jsonl",
    "model.mlirbc", "model.mlirbc.sha256", "model.mlir",
    "model.onnx",   "depth.json"};
} // namespace

void hec::clearRunFolder(const RunFiles &files) {
  for (const char *name : kRunFileNames)
    llvm::sys::fs::remove(files.dir + "/" + name);
  clearTemporaries(files);
}

void hec::clearTemporaries(const RunFiles &files) {
  // What a writer that died left half-written (temporaryPathFor's names,
  // unique to their process, so no later write replaces them).
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(files.dir, ec), end;
       !ec && it != end; it.increment(ec)) {
    std::string name = llvm::sys::path::filename(it->path()).str();
    if (llvm::any_of(kRunFileNames, [&](const char *final) {
          return he::runtime::isTemporaryOf(name, final);
        }))
      llvm::sys::fs::remove(it->path());
  }
}

llvm::Expected<uint32_t> hec::fileChecksum(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "cannot read %s: %s",
                                   path.c_str(),
                                   buffer.getError().message().c_str());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  uLong crc = crc32(0L, Z_NULL, 0);
  for (size_t at = 0; at < bytes.size(); at += 1u << 30) {
    size_t n = std::min<size_t>(bytes.size() - at, 1u << 30);
    crc =
        crc32(crc, reinterpret_cast<const Bytef *>(bytes.data() + at), uInt(n));
  }
  return uint32_t(crc);
}

namespace {
std::string sizeText(uint64_t bytes) {
  if (bytes < 1000000)
    return fmt::format("{:.1f} kB", bytes / 1e3);
  if (bytes < 1000000000)
    return fmt::format("{:.1f} MB", bytes / 1e6);
  return fmt::format("{:.1f} GB", bytes / 1e9);
}
} // namespace

namespace {
// `path` made absolute, the part of it that exists resolved (symlinks,
// "..") and the rest appended.
std::string resolvedPath(const std::string &path) {
  llvm::SmallString<256> head(path);
  llvm::sys::fs::make_absolute(head);
  llvm::sys::path::remove_dots(head, /*remove_dot_dot=*/true);
  std::vector<std::string> missing;
  while (!llvm::sys::fs::exists(head) &&
         llvm::sys::path::has_parent_path(head)) {
    missing.push_back(llvm::sys::path::filename(head).str());
    llvm::sys::path::remove_filename(head);
  }
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(head, real))
    real = head;
  for (auto it = missing.rbegin(); it != missing.rend(); ++it)
    llvm::sys::path::append(real, *it);
  return std::string(real);
}

bool within(const std::string &inner, const std::string &outer) {
  return inner == outer || (inner.size() > outer.size() &&
                            inner.compare(0, outer.size(), outer) == 0 &&
                            inner[outer.size()] == '/');
}
} // namespace

void hec::checkOutputApart(const std::string &dir, const std::string &modelFile,
                           const std::string &dataPath) {
  std::string out = resolvedPath(dir);
  if (!modelFile.empty() && within(resolvedPath(modelFile), out))
    throw he::runtime::Error(fmt::format(
        "model.name {} lies in the run folder {}, which the sweep writes (a "
        "run would overwrite it); copy it elsewhere or choose another --out; "
        "nothing was trained",
        modelFile, dir));
  if (!dataPath.empty() && within(out, resolvedPath(dataPath)))
    throw he::runtime::Error(fmt::format(
        "the run folder {} lies inside data.path {} (the data's folders "
        "would gain the runs'); choose another --out; nothing was trained",
        dir, dataPath));
}

std::optional<std::string> hec::checkOutputFolder(const std::string &dir,
                                                  uint64_t probeBytes,
                                                  uint64_t sweepBytes) {
  auto fail = [&](const std::string &what) {
    throw he::runtime::Error(
        fmt::format("the run folder {} {}; nothing was trained", dir, what));
  };
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    fail("cannot be created: " + ec.message());
  std::string probe = dir + "/.hec-write-probe";
  int fd =
      ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    fail(fmt::format("is not writable: {}", std::strerror(errno)));
  std::vector<char> zeros(std::min<uint64_t>(probeBytes, 1 << 20), 0);
  int error = 0;
  for (uint64_t left = probeBytes; left > 0 && !error;) {
    ssize_t n =
        ::write(fd, zeros.data(), std::min<uint64_t>(left, zeros.size()));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      error = n < 0 ? errno : ENOSPC;
    else
      left -= uint64_t(n);
  }
  if (!error && ::fsync(fd) != 0)
    error = errno;
  ::close(fd);
  ::unlink(probe.c_str());
  if (error)
    fail(fmt::format("cannot take a checkpoint of {}: {}", sizeText(probeBytes),
                     std::strerror(error)));
  llvm::ErrorOr<llvm::sys::fs::space_info> space =
      llvm::sys::fs::disk_space(dir);
  if (space && space->available < sweepBytes)
    return fmt::format("{} has {} free; the sweep may write about {}", dir,
                       sizeText(space->available), sizeText(sweepBytes));
  return std::nullopt;
}
