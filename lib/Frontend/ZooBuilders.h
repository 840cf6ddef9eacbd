// The builders behind buildModel(), one file per family.
#ifndef HE_FRONTEND_ZOOBUILDERS_H
#define HE_FRONTEND_ZOOBUILDERS_H

#include "lib/Frontend/NetBuilder.h"

namespace he::frontend {
mlir::Value buildAlexNet(NetBuilder &net, int64_t classes);
mlir::Value buildAlexNetSmall(NetBuilder &net, int64_t classes);
mlir::Value buildAlexNetCifar(NetBuilder &net, int64_t classes);
mlir::Value buildSqueezeNet(NetBuilder &net, int64_t classes);
mlir::Value buildSqueezeNetCifar(NetBuilder &net, int64_t classes);
mlir::Value buildHeCnn(NetBuilder &net, int64_t classes);
} // namespace he::frontend

#endif // HE_FRONTEND_ZOOBUILDERS_H
