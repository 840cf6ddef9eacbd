#ifndef HE_TRANSFORMS_FOLDBATCHNORM_TD
#define HE_TRANSFORMS_FOLDBATCHNORM_TD

include "mlir/Pass/PassBase.td"

def FoldBatchNorm : Pass<"he-fold-batchnorm"> {
  let summary = "Fold every inference he.batch_norm exactly into a "
                "neighbouring conv2d or linear";
  let description = [{
    A batch -
        norm in inference
            is `y = s·x + t` per channel,
               with
    `s = weight / sqrt(running_var + epsilon)` and
    `t = bias - running_mean · s`.Each one is folded away :

        -backward,
               when its input is a `he.conv2d` or `he.linear` used only by it
        : that
              op's weights are scaled by `s` per output channel and its bias becomes `s·bias +
                   t` (a bias parameter is created when missing);
    - else forward, when its result feeds only `he.conv2d` / `he.linear`
      inputs (possibly through `he.dropout` and `he.flatten`): their weights
      are scaled by `s` per input channel (feature, after a flatten). The
      shift `t` goes into their bias, except for a convolution with padding,
      where it would change the border pixels: there it stays as a free
      constant `he.add %x, %shift` (`shift = t / s`, a new parameter
      "<bn>.shift") before the convolution.

    Parameters need values. A batch-norm that cannot be folded is reported,
    naming its layer and why, and the module is left unchanged.
  }];
  let dependentDialects = ["::he::HeDialect"];
}

#endif
