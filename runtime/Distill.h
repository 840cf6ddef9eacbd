// Knowledge distillation from a trained teacher (Hinton et al.):
//
//   L = alpha * tau^2 * CE(softmax(zt / tau), softmax(zs / tau))
//       + (1 - alpha) * CE(onehot(y), softmax(zs))
//
// with CE(p, q) = -sum_k p_k log q_k averaged over the batch, zs the
// student's and zt the teacher's logits. tau^2 keeps the soft term's
// gradients at the hard term's scale.
#ifndef HE_RUNTIME_DISTILL_H
#define HE_RUNTIME_DISTILL_H

#include <torch/types.h>

namespace he::runtime {
/// The loss above; zt should carry no gradient (the teacher is frozen).
torch::Tensor distillationLoss(const torch::Tensor &studentLogits,
                               const torch::Tensor &teacherLogits,
                               const torch::Tensor &labels, double tau,
                               double alpha);
} // namespace he::runtime

#endif
