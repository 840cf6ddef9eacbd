// hec-bench-loader: the data path of an image data set at the paper's size.
// Loads the training split of an image folder or a COVIDx tree through the
// runtime's source (decoding into the cache, or reusing it), then runs one
// epoch of the trainer's batches (shuffled gather, uint8 -> f32, normalise,
// augment, on the prefetching thread) while the consuming thread does
// nothing: the loader's own rate, to set beside hec-bench-train-step's. It
// prints one JSON line with the decode time, the loader's images/s (with
// --step-ms, the consumer's rate while it "trains" that long per batch, and
// how long it waited in next() for data), and the process's resident memory
// after the epoch (anonymous and file-backed separately: the cache's
// mapped pages are file-backed, shared with the page cache, and dropped by
// the kernel under pressure).
#include "runtime/Augment.h"
#include "runtime/Data.h"
#include "runtime/Error.h"
#include "runtime/Trainer.h"
#include "runtime/data/Source.h"

#include "llvm/Support/CommandLine.h"

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include <fmt/core.h>

namespace cl = llvm::cl;
using namespace he::runtime;

static cl::opt<std::string> data("data", cl::Required,
                                 cl::desc("data set folder"));
static cl::opt<std::string> kind("kind", cl::init("image-folder"),
                                 cl::desc("image-folder or covidx"));
static cl::opt<int64_t> size("size", cl::init(224), cl::desc("N x N"));
static cl::opt<int64_t> channels("channels", cl::init(3));
static cl::opt<int64_t> batch("batch", cl::init(32));
static cl::opt<int64_t> maxBatches("max-batches", cl::init(0),
                                   cl::desc("stop after N batches (0: all)"));
static cl::opt<bool> augment("augment", cl::init(true),
                             cl::desc("flips, rotation, colour jitter"));
static cl::opt<double> stepMs(
    "step-ms", cl::init(0),
    cl::desc("the consumer sleeps this long per batch, as a training step "
             "would take: waited_s then says how long it waited for data"));
static cl::opt<int> threads("decode-threads", cl::init(0),
                            cl::desc("decoding and torch threads"));

namespace {
double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// kB of VmRSS, RssAnon, RssFile (Linux's /proc/self/status).
std::map<std::string, int64_t> memory() {
  std::ifstream in("/proc/self/status");
  std::map<std::string, int64_t> out;
  for (std::string line; std::getline(in, line);)
    for (const char *key : {"VmRSS", "RssAnon", "RssFile", "VmHWM"})
      if (line.rfind(std::string(key) + ":", 0) == 0)
        out[key] = std::stoll(line.substr(line.find(':') + 1));
  return out;
}
} // namespace

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "hec-bench-loader\n");
  try {
    useThreads(threads);
    LoadOptions o;
    o.imageSize = {channels, size, size};
    o.threads = threads;
    auto source =
        kind == "covidx" ? covidxSource(data, {}) : imageFolderSource(data);
    double t0 = now();
    LoadedSplit split = source->load(Split::Train, o);
    double loadSeconds = now() - t0;
    Dataset &d = split.data;
    normalise(d, {0.485, 0.456, 0.406}, {0.229, 0.224, 0.225});
    BatchIterator it(d, batch, /*shuffle=*/true, 1);
    AugmentOptions a;
    a.hflip = a.vflip = augment;
    a.rotation = augment ? 10 : 0;
    a.colorJitter = augment ? 0.1 : 0;
    a.mean = d.mean;
    a.std = d.std;
    if (a.enabled())
      it.setTransform([&](torch::Tensor x, int64_t b) {
        return augmentBatch(x, a, augmentSeed(1, 1, b));
      });
    torch::Tensor x, y;
    int64_t images = 0, batches = 0;
    double waited = 0, start = now();
    for (;;) {
      double before = now();
      if (!it.next(x, y))
        break;
      waited += now() - before;
      images += x.size(0);
      if (stepMs > 0)
        std::this_thread::sleep_for(
            std::chrono::duration<double>(stepMs / 1e3));
      if (maxBatches > 0 && ++batches >= maxBatches)
        break;
    }
    double seconds = now() - start;
    auto mem = memory();
    fmt::print("{{\"images\": {}, \"stored\": [{}, {}, {}], \"cache\": \"{}\", "
               "\"cache_reused\": {}, \"load_seconds\": {:.2f}, "
               "\"epoch_images\": {}, \"images_per_s\": {:.1f}, "
               "\"step_ms\": {}, \"waited_s\": {:.2f}, "
               "\"rss_mb\": {:.0f}, \"rss_anon_mb\": {:.0f}, "
               "\"rss_file_mb\": {:.0f}, \"peak_rss_mb\": {:.0f}}}\n",
               d.size(), d.images.size(1), d.images.size(2), d.images.size(3),
               split.cacheFile, split.cacheReused, loadSeconds, images,
               images / seconds, stepMs.getValue(), waited,
               mem["VmRSS"] / 1024.0, mem["RssAnon"] / 1024.0,
               mem["RssFile"] / 1024.0, mem["VmHWM"] / 1024.0);
  } catch (const std::exception &e) {
    fmt::print(stderr, "hec-bench-loader: {}\n", e.what());
    return 1;
  }
  return 0;
}
