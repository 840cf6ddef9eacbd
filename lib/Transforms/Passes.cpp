#include "lib/Transforms/Passes.h"

#include "lib/Transforms/AbsorbScalars/AbsorbScalars.h"
#include "lib/Transforms/DepthReport/DepthReport.h"
#include "lib/Transforms/FinalizeTransition/FinalizeTransition.h"
#include "lib/Transforms/FoldBatchNorm/FoldBatchNorm.h"
#include "lib/Transforms/LowerMaxPool/LowerMaxPool.h"
#include "lib/Transforms/Pipelines.h"
#include "lib/Transforms/ReplaceActivations/ReplaceActivations.h"
#include "lib/Transforms/VerifyPolynomial/VerifyPolynomial.h"

void he::registerHePasses() {
  registerFinalizeTransition();
  registerDepthReport();
  registerFoldBatchNorm();
  registerAbsorbScalars();
  registerLowerMaxPool();
  registerReplaceActivations();
  registerVerifyPolynomial();
  registerHePipelines();
}
