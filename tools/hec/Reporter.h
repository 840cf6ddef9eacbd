// What a sweep tells its user, apart from the work it reports: the runs and
// the sweep call a Reporter at each step, and only the Reporter decides how
// it reads. ConsoleReporter writes the terminal lines hec prints (a progress
// bar within an epoch on a terminal only); tests give their own Reporter
// (test/unit/hec/ReporterTest.cpp records what a sweep tells it).
#ifndef HEC_TOOLS_REPORTER_H
#define HEC_TOOLS_REPORTER_H

#include "runtime/Trainer.h"
#include "tools/hec/Results.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace hec {
/// The runs of a sweep done so far and an estimate of the time the rest
/// take: the wall time this process spent on its runs, per epoch, times the
/// epochs left (a finished run counts its epochs; a run found finished or
/// resumed counts none of what it did before).
class SweepProgress {
public:
  using Clock = std::chrono::steady_clock;
  void start(int64_t runs, int64_t epochsPerRun, Clock::time_point now);
  /// A run found finished in the run folder: nothing left of it.
  void runSkipped(Clock::time_point now);
  /// A run resumed at `epoch` (its first `epoch` epochs were done before).
  void runResumed(int64_t epoch);
  void epochDone(Clock::time_point now);
  /// A run ended (finished, diverged or failed): its epochs not trained
  /// are no longer left.
  void runEnded(Clock::time_point now);

  int64_t runs() const { return runs_; }
  int64_t runsDone() const { return runsDone_; }
  /// Seconds left; negative while nothing has been timed yet.
  double secondsLeft() const;
  /// "run 3/6 done, about 2 min left" (without the estimate until one
  /// epoch was timed).
  std::string text() const;

private:
  int64_t runs_ = 0, epochsPerRun_ = 0, runsDone_ = 0;
  int64_t epochsLeft_ = 0;  // in the whole sweep
  int64_t epochsTimed_ = 0; // trained by this process
  int64_t epochsOfRun_ = 0; // of the current run, counted when it ends
  Clock::time_point started_, last_;
  double seconds_ = 0; // spent on the timed epochs (and run endings)
};

/// "[tp_st_kd seed 111]"
std::string runLabel(const std::string &method, int64_t seed);

/// One epoch, as the run's log line says it.
struct EpochReport {
  const he::runtime::EpochMetrics &metrics;
  int epochs = 0;                 ///< of the run
  std::string split;              ///< "test" or "validation"
  bool transition = false;        ///< the run has a lambda to show
  bool allBatchesSkipped = false; ///< its loss is no loss at all
};

class Reporter {
public:
  virtual ~Reporter();
  /// The sweep starts `runs` runs of `epochsPerRun` epochs each.
  virtual void sweepStarted(int64_t runs, int64_t epochsPerRun) {}
  /// About the sweep, not one run (the run folder's free space looks too
  /// small); the sweep goes on.
  virtual void warning(const std::string &text) {}
  /// Found finished in the run folder (run.json): not trained again.
  virtual void runSkipped(const std::string &label, bool diverged) {}
  virtual void runStarting(const std::string &label, int64_t trainImages,
                           int64_t evalImages, const std::string &split) {}
  virtual void runResuming(const std::string &label,
                           const std::string &checkpoint, int64_t epoch,
                           int64_t batch) {}
  /// The run starts from another run's weights (training.init).
  virtual void startingFrom(const std::string &label, const std::string &path) {
  }
  /// Within an epoch, after each batch.
  virtual void batch(const std::string &label, int epoch, int epochs,
                     int64_t batch, int64_t batches, double loss) {}
  virtual void epoch(const std::string &label, const EpochReport &epoch) {}
  /// A line of its own (the trainer's notes, a model that has no ONNX).
  virtual void note(const std::string &label, const std::string &line) {}
  /// Stopped by a signal; its checkpoint has the rest.
  virtual void runStopped(const std::string &label,
                          const std::string &checkpoint) {}
  virtual void runDiverged(const std::string &label,
                           const std::string &message) {}
  virtual void runFailed(const std::string &label, const std::string &message) {
  }
  /// Finished: the record it wrote; `classes` for the collapse warning.
  virtual void runDone(const std::string &label, const RunRecord &record,
                       const std::string &split, int64_t classes) {}
  /// After a run ended, however it ended (also when skipped).
  virtual void runEnded() {}
};

/// The terminal: one line per event on stdout (failures on stderr), the
/// sweep's progress and time left after each epoch and run, a progress bar
/// redrawn in place within an epoch when stdout is a terminal.
std::unique_ptr<Reporter> makeConsoleReporter();
} // namespace hec

#endif
