#ifndef HE_TRANSFORMS_LOWERMAXPOOL_TD
#define HE_TRANSFORMS_LOWERMAXPOOL_TD

include "mlir/Pass/PassBase.td"

def LowerMaxPool : Pass<"he-lower-maxpool"> {
  let summary = "Replace every he.max_pool2d by an he.avg_pool2d";
  let description = [{
    Max-pooling has no polynomial form. Each `he.max_pool2d` becomes an
    `he.avg_pool2d` with the same kernel, stride, padding and ceil_mode, and
    `count_include_pad = true` (PyTorch's default).

    With `smooth`, the max-pool stays and is blended with the average:
    `he.blend %max, %avg lambda 0.0`; the runtime moves lambda towards 1
    during training. The blend takes the layer's name, its sides get
    `name.max` and `name.avg`. A max-pool that already is the `from` side
    of a blend is left alone, so running the pass twice changes nothing.
  }];
  let options = [
    Option<"smooth", "smooth", "bool", /*default=*/"false",
           "emit he.blend(max, avg) at lambda 0 instead of replacing the pool">
  ];
  let dependentDialects = ["::he::HeDialect"];
}

#endif
