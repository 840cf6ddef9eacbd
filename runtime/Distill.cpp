#include "runtime/Distill.h"

#include <ATen/ATen.h>

namespace he::runtime {
torch::Tensor distillationLoss(const torch::Tensor &studentLogits,
                               const torch::Tensor &teacherLogits,
                               const torch::Tensor &labels, double tau,
                               double alpha) {
  torch::Tensor soft = at::softmax(teacherLogits.detach() / tau, 1);
  torch::Tensor logStudent = at::log_softmax(studentLogits / tau, 1);
  torch::Tensor softLoss = -(soft * logStudent).sum(1).mean();
  torch::Tensor hardLoss = at::cross_entropy_loss(studentLogits, labels);
  return softLoss * (alpha * tau * tau) + hardLoss * (1 - alpha);
}
} // namespace he::runtime
