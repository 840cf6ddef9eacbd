#include "runtime/data/DecodeAll.h"
#include "runtime/Stop.h"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

namespace he::runtime {
std::vector<DecodeFailure> decodeAll(const CacheRecipe &r, uint8_t *pixels,
                                     int64_t *labels, uint64_t imageBytes,
                                     int threads, Split split,
                                     const LoadOptions &o) {
  std::atomic<int64_t> next{0}, done{0};
  std::mutex mutex;
  std::vector<DecodeFailure> failures;
  auto work = [&] {
    torch::NoGradGuard noGrad;
    omp_set_num_threads(1); // one image per thread; no nested teams
    for (int64_t i; (i = next++) < r.count; ++done) {
      try {
        labels[i] = r.label(i);
        torch::Tensor image = r.decode(i).contiguous();
        if (image.numel() != int64_t(imageBytes))
          throw Error(fmt::format("decoded to {} bytes, expected {}",
                                  image.numel(), imageBytes));
        std::memcpy(pixels + i * imageBytes, image.data_ptr<uint8_t>(),
                    imageBytes);
      } catch (const std::exception &e) {
        std::lock_guard<std::mutex> lock(mutex);
        failures.push_back({i, e.what()});
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back(work);
  bool stopped = false;
  for (;;) {
    if ((stopped = stopRequested())) {
      next = r.count; // no thread takes another image
      break;
    }
    if (done >= r.count)
      break;
    if (o.progress)
      o.progress(split, done, r.count);
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  for (std::thread &t : pool)
    t.join();
  if (stopped)
    throw Interrupted(fmt::format(
        "stopped while decoding the {} images ({} of {} done; the cache was "
        "not written)",
        r.name, done.load(), r.count));
  if (o.progress)
    o.progress(split, r.count, r.count);
  std::sort(failures.begin(), failures.end(),
            [](const DecodeFailure &a, const DecodeFailure &b) {
              return a.index < b.index;
            });
  return failures;
}

[[noreturn]] void failOnDecoding(const CacheRecipe &r,
                                 const std::vector<DecodeFailure> &failures) {
  const DecodeFailure &f = failures.front();
  std::string where = r.describe(f.index);
  std::string more =
      failures.size() > 1
          ? fmt::format(" ({} more of the {} {} images cannot be read either)",
                        failures.size() - 1, r.count, r.name)
          : "";
  throw Error(fmt::format("{}{}{}; nothing was trained (data.skip_bad_images "
                          "= true leaves such images out)",
                          where.empty() ? "" : where + ": ", f.message, more));
}
} // namespace he::runtime
