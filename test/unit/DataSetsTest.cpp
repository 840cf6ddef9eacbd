// The data kinds' facts (lib/Frontend/DataSets.h) as the parser applies
// them: a kind the runtime does not resize takes only its stored size.
#include "lib/Frontend/DataSets.h"

#include <gtest/gtest.h>

using namespace he::frontend;

namespace {
std::vector<std::string> errors(const std::string &text) {
  ParseOptions noPaths;
  noPaths.checkPaths = false;
  ParseResult result = parseExperimentString(text, "x.toml", noPaths);
  std::vector<std::string> out;
  for (const Diagnostic &d : result.diagnostics)
    out.push_back(d.str());
  return out;
}

TEST(DataSetsTest, OnlyFashionMnistIsReadAsStored) {
  EXPECT_EQ(fixedImageSize(DataKind::FashionMnist), (ImageSize{1, 28, 28}));
  for (DataKind kind : {DataKind::ImageFolder, DataKind::Covidx,
                        DataKind::Cifar10, DataKind::Synthetic})
    EXPECT_FALSE(fixedImageSize(kind)) << toString(kind).str();
}

// The stored size is the default whatever the model; another one is refused
// where it comes from: the key written, or the model whose input it is.
TEST(DataSetsTest, FashionMnistTakesOnlyItsStoredSize) {
  EXPECT_TRUE(errors("").empty());
  EXPECT_TRUE(errors("data.image_size = [1, 28, 28]").empty());
  EXPECT_EQ(errors("model.name = 'alexnet'"),
            std::vector<std::string>{
                "x.toml:1:14: error: model.name: \"alexnet\" takes [3, 224, "
                "224] images (data.image_size's default), but data.kind = "
                "\"fashion-mnist\" images are [1, 28, 28] and the runtime "
                "does not resize them: choose a network for [1, 28, 28] "
                "images"});
  EXPECT_EQ(errors("data.image_size = [1, 32, 32]"),
            std::vector<std::string>{
                "x.toml:1:19: error: data.image_size: expected [1, 28, 28], "
                "the size data.kind = \"fashion-mnist\" images are stored at "
                "(the runtime does not resize them), found [1, 32, 32]"});
  // The kinds that are resized take the model's size.
  EXPECT_TRUE(errors("data.kind = 'cifar10'\nmodel.name = 'alexnet'").empty());
}
} // namespace
