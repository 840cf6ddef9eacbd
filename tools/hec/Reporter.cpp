#include "tools/hec/Reporter.h"

#include <fmt/core.h>

#include <cmath>
#include <cstdio>
#include <unistd.h>

using namespace hec;

void SweepProgress::start(int64_t runs, int64_t epochsPerRun,
                          Clock::time_point now) {
  runs_ = runs;
  epochsPerRun_ = epochsPerRun;
  runsDone_ = epochsTimed_ = epochsOfRun_ = 0;
  epochsLeft_ = runs * epochsPerRun;
  started_ = last_ = now;
  seconds_ = 0;
}

void SweepProgress::runSkipped(Clock::time_point now) {
  last_ = now; // reading its record is not training time
  ++runsDone_;
  epochsLeft_ -= epochsPerRun_;
}

void SweepProgress::runResumed(int64_t epoch) {
  epochsLeft_ -= epoch;
  epochsOfRun_ += epoch;
}

void SweepProgress::epochDone(Clock::time_point now) {
  seconds_ += std::chrono::duration<double>(now - last_).count();
  last_ = now;
  ++epochsTimed_;
  ++epochsOfRun_;
  --epochsLeft_;
}

void SweepProgress::runEnded(Clock::time_point now) {
  // What the run did after its last epoch (emitting, evaluating) counts
  // toward the time per epoch; its epochs not trained (it diverged or
  // failed) are no longer left.
  seconds_ += std::chrono::duration<double>(now - last_).count();
  last_ = now;
  epochsLeft_ -= std::max<int64_t>(0, epochsPerRun_ - epochsOfRun_);
  epochsOfRun_ = 0;
  ++runsDone_;
}

double SweepProgress::secondsLeft() const {
  if (epochsTimed_ == 0)
    return -1;
  return seconds_ / double(epochsTimed_) *
         double(std::max<int64_t>(0, epochsLeft_));
}

namespace {
std::string duration(double seconds) {
  if (seconds < 90)
    return fmt::format("{:.0f} s", std::ceil(seconds));
  double minutes = std::ceil(seconds / 60);
  if (minutes < 90)
    return fmt::format("{:.0f} min", minutes);
  return fmt::format("{:.0f} h {:.0f} min", std::floor(minutes / 60),
                     std::fmod(minutes, 60));
}
} // namespace

std::string SweepProgress::text() const {
  std::string s = fmt::format("sweep: {}/{} runs done", runsDone_, runs_);
  double left = secondsLeft();
  if (runsDone_ < runs_ && left >= 1)
    s += ", about " + duration(left) + " left";
  return s;
}

std::string hec::runLabel(const std::string &method, int64_t seed) {
  return fmt::format("[{} seed {}]", method, seed);
}

Reporter::~Reporter() = default;

namespace {
class ConsoleReporter : public Reporter {
public:
  ConsoleReporter() : terminal_(isatty(fileno(stdout))) {}

  void sweepStarted(int64_t runs, int64_t epochsPerRun) override {
    progress_.start(runs, epochsPerRun, SweepProgress::Clock::now());
  }
  void warning(const std::string &text) override {
    clearBar();
    fmt::print(stderr, "hec: warning: {}\n", text);
  }
  void runSkipped(const std::string &label, bool diverged) override {
    skipped_ = true;
    line("{} finished earlier{}: skipped", label,
         diverged ? " (diverged)" : "");
  }
  void runStarting(const std::string &label, int64_t trainImages,
                   int64_t evalImages, const std::string &split) override {
    line("{} training on {} images, evaluating on {} {} images", label,
         trainImages, evalImages, split);
  }
  void runResuming(const std::string &label, const std::string &checkpoint,
                   int64_t epoch, int64_t batch) override {
    progress_.runResumed(epoch);
    line("{} resuming from {} at epoch {}, batch {}", label, checkpoint, epoch,
         batch);
  }
  void startingFrom(const std::string &label,
                    const std::string &path) override {
    line("{} starting from {}", label, path);
  }
  void batch(const std::string &label, int epoch, int epochs, int64_t batch,
             int64_t batches, double loss) override {
    if (!terminal_)
      return;
    constexpr int width = 30;
    int filled = batches > 0 ? int(width * batch / batches) : 0;
    fmt::print("\r{} epoch {}/{} [{:=<{}}{: <{}}] {}/{} loss {:.4f}", label,
               epoch, epochs, "", filled, "", width - filled, batch, batches,
               loss);
    std::fflush(stdout);
    barShown_ = true;
  }
  void epoch(const std::string &label, const EpochReport &e) override {
    progress_.epochDone(SweepProgress::Clock::now());
    const he::runtime::EpochMetrics &m = e.metrics;
    // Only a transition has a lambda: the other methods' networks have no
    // he.blend, and "lambda 0.00" would read as "still ReLU".
    std::string schedule =
        e.transition
            ? fmt::format("lambda {:.2f}, pool {} {:.2f}, ", m.lambda,
                          he::runtime::poolModeName(m.poolMode), m.poolLambda)
            : "";
    std::string loss =
        !e.allBatchesSkipped
            ? fmt::format("{:.4f}", m.loss)
            : fmt::format("n/a (all {} batches skipped: non-finite loss)",
                          m.skippedBatches);
    // Beside each epoch, the sweep's progress (not for one run alone).
    std::string sweep =
        progress_.runs() > 1 ? "; " + progress_.text() : std::string();
    line("{} epoch {}/{}: loss {}, train {:.2f}%, {} {:.2f}%, macro-F1 "
         "{:.2f}%, {}lr {:.3g}, {:.1f} s, {:.0f} images/s{}",
         label, m.epoch, e.epochs, loss, 100 * m.trainAccuracy, e.split,
         100 * m.testAccuracy, 100 * m.testMacroF1, schedule, m.lr, m.seconds,
         m.imagesPerSecond, sweep);
  }
  void note(const std::string &label, const std::string &text) override {
    line("{} {}", label, text);
  }
  void runStopped(const std::string &label,
                  const std::string &checkpoint) override {
    line("{} stopped; checkpoint {}", label, checkpoint);
  }
  void runDiverged(const std::string &label,
                   const std::string &message) override {
    line("{} diverged: {}", label, message);
  }
  void runFailed(const std::string &label,
                 const std::string &message) override {
    clearBar();
    fmt::print(stderr, "{} failed: {}\n", label, message);
  }
  void runDone(const std::string &label, const RunRecord &r,
               const std::string &split, int64_t classes) override {
    line("{} done: {} accuracy {:.2f}%, macro-F1 {:.2f}%, emitted model "
         "{:.2f}%, depth {}",
         label, split, r.accuracy, r.macroF1, r.evalAccuracy,
         r.depth ? std::to_string(*r.depth) : "none (not polynomial)");
    if (collapsed(r, classes))
      line("{} collapsed: {:.2f}% is near chance ({:.2f}% for {} classes); "
           "the network learned almost nothing",
           label, r.accuracy, 100.0 / double(classes), classes);
  }
  void runEnded() override {
    if (skipped_)
      progress_.runSkipped(SweepProgress::Clock::now());
    else
      progress_.runEnded(SweepProgress::Clock::now());
    skipped_ = false;
    if (progress_.runs() > 1)
      line("{}", progress_.text());
  }

private:
  // Erases the progress bar, so the next line starts clean.
  void clearBar() {
    if (barShown_)
      fmt::print("\r\033[K");
    barShown_ = false;
  }
  template <typename... Args>
  void line(fmt::format_string<Args...> format, Args &&...args) {
    clearBar();
    fmt::print(format, std::forward<Args>(args)...);
    fmt::print("\n");
    std::fflush(stdout);
  }

  bool terminal_;
  bool barShown_ = false;
  bool skipped_ = false; // the current run was found finished
  SweepProgress progress_;
};
} // namespace

std::unique_ptr<Reporter> hec::makeConsoleReporter() {
  return std::make_unique<ConsoleReporter>();
}
