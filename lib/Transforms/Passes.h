// Every he pass, and their registration with the pass registry.
#ifndef HE_TRANSFORMS_PASSES_H
#define HE_TRANSFORMS_PASSES_H

namespace he {
/// Registers every he pass and the he pipelines (for he-opt and hec).
void registerHePasses();
} // namespace he

#endif
