// The model zoo: each network verifies, has the layers of its definition in
// order, and the parameter count of its PyTorch original.
#include "lib/Frontend/Zoo.h"
#include "dialect/HeOps.h"
#include "lib/Analysis/ParamCount.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace he::frontend;

namespace {
struct ZooTest : ::testing::Test {
  ZooTest()
      : handler(&context, [this](Diagnostic &d) {
          llvm::raw_string_ostream(diagnostics)
              << d.getLocation() << ": " << d << "\n";
        }) {}

  OwningOpRef<ModuleOp> build(llvm::StringRef name, int64_t classes,
                              llvm::ArrayRef<int64_t> shape) {
    OwningOpRef<ModuleOp> module = buildModel(name, classes, shape, context);
    EXPECT_TRUE(module) << diagnostics;
    if (module) {
      EXPECT_TRUE(succeeded(verify(*module)));
    }
    return module;
  }

  /// "conv2d:conv1 relu:conv1.act ..." for the layers of @forward.
  static std::string layers(ModuleOp module) {
    std::string out;
    module->walk([&](Operation *op) {
      if (op->getDialect()->getNamespace() != "he" || isa<he::ParamOp>(op))
        return;
      if (!out.empty())
        out += " ";
      out += op->getName().stripDialect().str() + ":" + he::layerName(op);
    });
    return out;
  }

  /// The trainable scalars (non-buffer he.param elements) of @forward.
  static int64_t countParameters(ModuleOp module) {
    auto forward = module.lookupSymbol<func::FuncOp>("forward");
    he::ParamCount count = he::countParameters(forward);
    EXPECT_TRUE(count.unsized.empty());
    return count.trainable;
  }

  static std::string signature(ModuleOp module) {
    std::string out;
    llvm::raw_string_ostream os(out);
    os << module.lookupSymbol<func::FuncOp>("forward").getFunctionType();
    return out;
  }

  MLIRContext context;
  std::string diagnostics;
  ScopedDiagnosticHandler handler;
};

TEST_F(ZooTest, AlexNetIsThePapersAppendix) {
  OwningOpRef<ModuleOp> m = build("alexnet", 3, {3, 224, 224});
  ASSERT_TRUE(m);
  EXPECT_EQ(countParameters(*m), 57017155);
  EXPECT_EQ(signature(*m), "(tensor<?x3x224x224xf32>) -> tensor<?x3xf32>");
  EXPECT_EQ(layers(*m),
            "conv2d:conv1 relu:conv1.act max_pool2d:pool1 batch_norm:bn1 "
            "conv2d:conv2 relu:conv2.act max_pool2d:pool2 batch_norm:bn2 "
            "conv2d:conv3 relu:conv3.act conv2d:conv4 relu:conv4.act "
            "conv2d:conv5 relu:conv5.act max_pool2d:pool3 batch_norm:bn3 "
            "dropout:drop1 flatten:flatten linear:fc1 relu:fc1.act "
            "dropout:drop2 linear:fc2 relu:fc2.act linear:fc3");
  // The first linear layer sees 256x6x6 features, as in the appendix.
  bool found = false;
  m->walk([&](he::ParamOp p) {
    if (p.getParamName() == "classifier.2.weight") {
      found = true;
      EXPECT_EQ(cast<RankedTensorType>(p.getType()).getShape(),
                (llvm::ArrayRef<int64_t>{4096, 9216}));
    }
  });
  EXPECT_TRUE(found);
}

TEST_F(ZooTest, AlexNetSmallHasSevenActivationsAndThreePools) {
  OwningOpRef<ModuleOp> m = build("alexnet_small", 10, {1, 28, 28});
  ASSERT_TRUE(m);
  // conv 320 + 18,496 + 73,856 + 147,584 + 73,792, BN 64 + 128 + 128,
  // linear 147,712 + 65,792 + 2,570.
  EXPECT_EQ(countParameters(*m), 530442);
  EXPECT_EQ(signature(*m), "(tensor<?x1x28x28xf32>) -> tensor<?x10xf32>");
  EXPECT_EQ(layers(*m),
            "conv2d:conv1 relu:conv1.act max_pool2d:pool1 batch_norm:bn1 "
            "conv2d:conv2 relu:conv2.act max_pool2d:pool2 batch_norm:bn2 "
            "conv2d:conv3 relu:conv3.act conv2d:conv4 relu:conv4.act "
            "conv2d:conv5 relu:conv5.act max_pool2d:pool3 batch_norm:bn3 "
            "dropout:drop1 flatten:flatten linear:fc1 relu:fc1.act "
            "dropout:drop2 linear:fc2 relu:fc2.act linear:fc3");
  std::string ir;
  llvm::raw_string_ostream(ir) << *m;
  EXPECT_NE(ir.find("tensor<?x64x3x3xf32> -> tensor<?x576xf32>"),
            std::string::npos);
  EXPECT_NE(ir.find("he.param \"features.15.running_var\" buffer"),
            std::string::npos);
}

TEST_F(ZooTest, HeCnnIsSmallAndHasNoPools) {
  OwningOpRef<ModuleOp> m = build("he_cnn", 10, {1, 28, 28});
  ASSERT_TRUE(m);
  // conv 80 + 1,168, linear 25,120 + 330.
  EXPECT_EQ(countParameters(*m), 26698);
  EXPECT_EQ(signature(*m), "(tensor<?x1x28x28xf32>) -> tensor<?x10xf32>");
  EXPECT_EQ(layers(*m), "conv2d:conv1 relu:conv1.act conv2d:conv2 "
                        "relu:conv2.act flatten:flatten linear:fc1 "
                        "relu:fc1.act linear:fc2");
  std::string ir;
  llvm::raw_string_ostream(ir) << *m;
  // Strides 2: 28 -> 14 -> 7, so the classifier sees 16x7x7 features.
  EXPECT_NE(ir.find("tensor<?x16x7x7xf32> -> tensor<?x784xf32>"),
            std::string::npos);
}

TEST_F(ZooTest, SqueezeNetIsTorchvisions) {
  OwningOpRef<ModuleOp> m = build("squeezenet1_0", 3, {3, 224, 224});
  ASSERT_TRUE(m);
  EXPECT_EQ(countParameters(*m), 736963);
  OwningOpRef<ModuleOp> imagenet = build("squeezenet1_0", 1000, {3, 224, 224});
  ASSERT_TRUE(imagenet);
  EXPECT_EQ(countParameters(*imagenet), 1248424);

  std::string fire2 = "conv2d:fire2.squeeze relu:fire2.squeeze.act "
                      "conv2d:fire2.expand1x1 relu:fire2.expand1x1.act "
                      "conv2d:fire2.expand3x3 relu:fire2.expand3x3.act "
                      "concat:fire2.concat";
  std::string l = layers(*m);
  EXPECT_EQ(l.rfind("conv2d:conv1 relu:conv1.act max_pool2d:pool1 " + fire2, 0),
            0u)
      << l;
  EXPECT_NE(l.find("concat:fire4.concat max_pool2d:pool4 conv2d:fire5"),
            std::string::npos);
  EXPECT_NE(l.find("concat:fire8.concat max_pool2d:pool8 conv2d:fire9"),
            std::string::npos);
  EXPECT_EQ(l.substr(l.find("concat:fire9.concat")),
            "concat:fire9.concat dropout:drop conv2d:conv10 "
            "relu:conv10.act global_avg_pool2d:pool10 flatten:flatten");
  // torchvision's pools use ceil_mode: 109 -> 54 -> 27 -> 13.
  std::string ir;
  llvm::raw_string_ostream(ir) << *m;
  EXPECT_NE(ir.find("name = \"pool8\", stride = array<i64: 2, 2>} : "
                    "tensor<?x512x27x27xf32> -> tensor<?x512x13x13xf32>"),
            std::string::npos);
  EXPECT_NE(ir.find("\"features.12.expand3x3.weight\" : "
                    "tensor<256x64x3x3xf32>"),
            std::string::npos);
}

TEST_F(ZooTest, TheCifarVariantsTake32x32Images) {
  OwningOpRef<ModuleOp> alexnet = build("alexnet_cifar", 10, {3, 32, 32});
  ASSERT_TRUE(alexnet);
  EXPECT_EQ(countParameters(*alexnet), 7507786);
  EXPECT_EQ(signature(*alexnet), "(tensor<?x3x32x32xf32>) -> tensor<?x10xf32>");

  // SqueezeNet 1.0 for 10 classes less its 7x7 stem plus a 3x3 one:
  // 1,248,424 - 513,000 + 5,130 - 14,208 + 2,688.
  OwningOpRef<ModuleOp> squeeze = build("squeezenet_cifar", 10, {3, 32, 32});
  ASSERT_TRUE(squeeze);
  EXPECT_EQ(countParameters(*squeeze), 729034);
}

TEST_F(ZooTest, UnknownNamesAndTinyImagesAreErrors) {
  EXPECT_FALSE(buildModel("lenet", 10, {1, 28, 28}, context));
  EXPECT_NE(diagnostics.find("unknown network 'lenet'; the zoo has alexnet, "
                             "alexnet_small"),
            std::string::npos)
      << diagnostics;

  diagnostics.clear();
  EXPECT_FALSE(buildModel("alexnet", 3, {1, 28, 28}, context));
  EXPECT_NE(diagnostics.find("the images are too small for alexnet: the "
                             "feature map vanishes at layer 'pool2'"),
            std::string::npos)
      << diagnostics;

  diagnostics.clear();
  EXPECT_FALSE(buildModel("alexnet_small", 10, {1, 28}, context));
  EXPECT_NE(diagnostics.find("needs images of shape [C, H, W]"),
            std::string::npos)
      << diagnostics;
}

struct LoadModelTest : ZooTest {
  std::string writeFile(llvm::StringRef text) {
    llvm::SmallString<128> path;
    int fd;
    EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("zoo", "mlir", fd, path));
    llvm::raw_fd_ostream(fd, /*shouldClose=*/true) << text;
    files.push_back(path.str().str());
    return files.back();
  }
  ~LoadModelTest() override {
    for (const std::string &file : files)
      llvm::sys::fs::remove(file);
  }
  std::vector<std::string> files;
};

TEST_F(LoadModelTest, AWrittenNetworkLoadsBack) {
  OwningOpRef<ModuleOp> built = build("alexnet_small", 10, {1, 28, 28});
  std::string text;
  llvm::raw_string_ostream(text) << *built;
  std::string path = writeFile(text);
  OwningOpRef<ModuleOp> loaded =
      loadModel(path, {1, 28, 28}, 10, context, UnknownLoc::get(&context));
  ASSERT_TRUE(loaded) << diagnostics;
  EXPECT_EQ(countParameters(*loaded), 530442);

  // The same network for other data: the shapes must agree.
  EXPECT_FALSE(
      loadModel(path, {3, 32, 32}, 10, context, UnknownLoc::get(&context)));
  EXPECT_NE(diagnostics.find("@forward must take one tensor<?x3x32x32xf32>"),
            std::string::npos)
      << diagnostics;
  diagnostics.clear();
  EXPECT_FALSE(
      loadModel(path, {1, 28, 28}, 3, context, UnknownLoc::get(&context)));
  EXPECT_NE(diagnostics.find("@forward must return one tensor<?x3xf32>"),
            std::string::npos)
      << diagnostics;
}

TEST_F(LoadModelTest, ParseErrorsPointIntoTheFile) {
  std::string path = writeFile("func.func @forward(%x: tensor<?x1x2x2xf32>) {\n"
                               "  %y = he.bogus %x\n"
                               "}\n");
  EXPECT_FALSE(
      loadModel(path, {1, 2, 2}, 2, context, UnknownLoc::get(&context)));
  EXPECT_NE(diagnostics.find(path + "\":2:"), std::string::npos) << diagnostics;
  EXPECT_NE(diagnostics.find("he.bogus"), std::string::npos) << diagnostics;

  diagnostics.clear();
  EXPECT_FALSE(loadModel("/no/such/net.mlir", {1, 2, 2}, 2, context,
                         UnknownLoc::get(&context)));
  EXPECT_NE(diagnostics.find("no such network file: /no/such/net.mlir"),
            std::string::npos);
}
} // namespace
