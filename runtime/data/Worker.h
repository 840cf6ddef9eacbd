// One long-lived background thread that runs jobs in the order given: the
// batch prefetcher's. A thread that lives on keeps its OpenMP team (LibTorch's
// intra-op threads), which a thread per batch would create and destroy every
// step.
#ifndef HE_RUNTIME_DATA_WORKER_H
#define HE_RUNTIME_DATA_WORKER_H

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

namespace he::runtime {
class Worker {
public:
  Worker();
  ~Worker();
  Worker(const Worker &) = delete;
  Worker &operator=(const Worker &) = delete;

  /// Runs `job` on the worker thread after the jobs given before it; its
  /// result (or exception) arrives through the future.
  template <typename F> auto run(F job) -> std::future<decltype(job())> {
    auto task =
        std::make_shared<std::packaged_task<decltype(job())()>>(std::move(job));
    std::future<decltype(job())> result = task->get_future();
    post([task] { (*task)(); });
    return result;
  }

private:
  void post(std::function<void()> job);
  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

/// The process's prefetching thread, started on first use.
Worker &backgroundWorker();
} // namespace he::runtime

#endif
