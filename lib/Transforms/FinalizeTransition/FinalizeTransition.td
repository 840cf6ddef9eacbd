#ifndef HE_TRANSFORMS_FINALIZETRANSITION_TD
#define HE_TRANSFORMS_FINALIZETRANSITION_TD

include "mlir/Pass/PassBase.td"

def FinalizeTransition : Pass<"he-finalize-transition"> {
  let summary = "End the smooth transition: every he.blend becomes its new side";
  let description = [{
    After training, each `he.blend %old, %new` is replaced by `%new` (λ = 1),
    whatever λ it holds; ops that only fed the old side are erased.
  }];
  let dependentDialects = ["::he::HeDialect"];
}

#endif
