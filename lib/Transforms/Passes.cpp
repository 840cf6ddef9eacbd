#include "lib/Transforms/Passes.h"

#include "lib/Transforms/FinalizeTransition/FinalizeTransition.h"

void he::registerHePasses() {
  registerFinalizeTransition();
}
