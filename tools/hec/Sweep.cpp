#include "tools/hec/Sweep.h"

#include "runtime/Error.h"
#include "tools/hec/RunOne.h"
#include "tools/hec/SweepOrder.h"

#include <torch/cuda.h>

using namespace he;
using frontend::Method;

torch::Device hec::chooseDevice(frontend::Device device) {
  bool cuda = torch::cuda::is_available();
  if (device == frontend::Device::Cuda && !cuda)
    throw runtime::Error("training.device is \"cuda\" but no CUDA device is "
                         "available (this LibTorch build or machine has none)");
  if (device != frontend::Device::Cpu && cuda)
    return torch::Device(torch::kCUDA);
  return torch::Device(torch::kCPU);
}

std::vector<hec::RunRecord> hec::runSweep(const frontend::Experiment &exp,
                                          mlir::ModuleOp network,
                                          const Splits &data,
                                          const SweepOptions &options) {
  std::unique_ptr<Reporter> console;
  Reporter *reporter = options.reporter;
  if (!reporter) {
    console = makeConsoleReporter();
    reporter = console.get();
  }
  RunTrainer trainer(exp, network, data, options, *reporter);
  std::vector<PlannedRun> order = sweepOrder(exp);
  trainer.checkOutput(order.size());
  reporter->sweepStarted(options.only ? 1 : int64_t(order.size()),
                         exp.training.epochs);
  std::vector<RunRecord> records;
  int64_t seed = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    const PlannedRun &planned = order[i];
    if (i == 0 || planned.seed != seed)
      trainer.startSeed();
    seed = planned.seed;
    if (options.stopRequested && options.stopRequested())
      return records;
    if (options.only &&
        *options.only != std::pair{planned.method, planned.seed}) {
      if (planned.method == Method::Baseline)
        trainer.useFinishedBaseline(planned.seed);
      continue;
    }
    std::optional<RunRecord> record = trainer.run(planned.method, planned.seed);
    if (!record) // interrupted: its checkpoint has the rest
      return records;
    reporter->runEnded();
    records.push_back(std::move(*record));
    if (options.onRun)
      options.onRun(records);
  }
  return records;
}
