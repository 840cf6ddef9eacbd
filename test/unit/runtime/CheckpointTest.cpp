// The checkpoint format: what is written reads back exactly; every kind of
// damage (a flipped byte, truncation, wrong magic or version, trailing
// bytes, a malformed entry) is reported with the path and never loaded; the
// atomic writer leaves the previous file intact when the disk is full.
#include "runtime/Checkpoint.h"
#include "runtime/TemporaryPath.h"

#include <torch/torch.h>

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace he::runtime {
namespace {
namespace fs = std::filesystem;

struct CheckpointTest : ::testing::Test {
  CheckpointTest() {
    dir = fs::temp_directory_path() /
          ("he-checkpoint-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
  }
  ~CheckpointTest() override { fs::remove_all(dir); }
  std::string path(const std::string &name) { return (dir / name).string(); }

  static Checkpoint sample() {
    Checkpoint ck;
    ck.setInt("epoch", -3);
    ck.setDouble("loss", 0.1 + 0.2); // not exact in decimal: bits must match
    ck.setString("teacher", std::string("a\0b\n", 4));
    ck.setTensor("weights", torch::arange(12, torch::kFloat).reshape({3, 4}));
    ck.setTensor("rng", torch::tensor({1, 255, 0}, torch::kByte));
    ck.setTensor("order", torch::tensor({5, 4}, torch::kLong));
    ck.setTensor("empty", torch::zeros({0, 7}, torch::kDouble));
    ck.setTensor("scalar", torch::tensor(2.5, torch::kDouble));
    return ck;
  }
  std::vector<uint8_t> encoded() { return sample().encode(); }

  // The message of decoding `bytes`, or "" when it decodes.
  static std::string decodeError(const std::vector<uint8_t> &bytes) {
    try {
      Checkpoint::decode(bytes.data(), bytes.size(), "ck.hec");
    } catch (const CheckpointError &e) {
      return e.what();
    }
    return "";
  }
  fs::path dir;
};

TEST_F(CheckpointTest, WhatIsWrittenReadsBackExactly) {
  writeCheckpoint(path("ck.hec"), sample());
  Checkpoint ck = readCheckpoint(path("ck.hec"));
  EXPECT_EQ(ck.source(), path("ck.hec"));
  EXPECT_EQ(ck.getInt("epoch"), -3);
  EXPECT_EQ(ck.getDouble("loss"), 0.1 + 0.2);
  EXPECT_EQ(ck.getString("teacher"), std::string("a\0b\n", 4));
  EXPECT_TRUE(torch::equal(ck.getTensor("weights"),
                           torch::arange(12, torch::kFloat).reshape({3, 4})));
  EXPECT_TRUE(torch::equal(ck.getTensor("rng"),
                           torch::tensor({1, 255, 0}, torch::kByte)));
  EXPECT_EQ(ck.getTensor("order").scalar_type(), torch::kLong);
  EXPECT_EQ(ck.getTensor("empty").sizes(), (std::vector<int64_t>{0, 7}));
  EXPECT_EQ(ck.getTensor("scalar").dim(), 0);
  EXPECT_EQ(ck.getTensor("scalar").item<double>(), 2.5);
  EXPECT_EQ(ck.keysWithPrefix("e"),
            (std::vector<std::string>{"empty", "epoch"}));
  // No temporary left beside it.
  for (const auto &entry : fs::directory_iterator(path("")))
    EXPECT_FALSE(isTemporaryOf(entry.path().filename().string(), "ck.hec"))
        << entry.path();
}

TEST_F(CheckpointTest, MissingOrMistypedEntriesNameTheFile) {
  writeCheckpoint(path("ck.hec"), sample());
  Checkpoint ck = readCheckpoint(path("ck.hec"));
  EXPECT_THROW(
      {
        try {
          ck.getInt("nope");
        } catch (const CheckpointError &e) {
          EXPECT_EQ(std::string(e.what()),
                    path("ck.hec") + ": no entry 'nope'");
          throw;
        }
      },
      CheckpointError);
  try {
    ck.getTensor("epoch");
    ADD_FAILURE() << "an integer read as a tensor";
  } catch (const CheckpointError &e) {
    EXPECT_NE(std::string(e.what()).find("'epoch' is an integer, expected a "
                                         "tensor"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(CheckpointTest, AFlippedPayloadByteFailsTheChecksum) {
  std::vector<uint8_t> bytes = encoded();
  bytes[bytes.size() - 5] ^= 0x10;
  EXPECT_NE(decodeError(bytes).find("ck.hec: checksum mismatch"),
            std::string::npos)
      << decodeError(bytes);
}

TEST_F(CheckpointTest, TruncationIsReported) {
  std::vector<uint8_t> bytes = encoded();
  for (size_t keep : {size_t(0), size_t(5), size_t(20), bytes.size() - 1}) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + keep);
    std::string error = decodeError(cut);
    EXPECT_FALSE(error.empty()) << keep;
    if (keep >= 24) {
      EXPECT_NE(error.find("truncated"), std::string::npos) << error;
    }
  }
  // On disk, through readCheckpoint.
  std::ofstream(path("cut.hec"), std::ios::binary)
      .write(reinterpret_cast<const char *>(bytes.data()), 100);
  try {
    readCheckpoint(path("cut.hec"));
    ADD_FAILURE() << "a truncated file was read";
  } catch (const CheckpointError &e) {
    EXPECT_EQ(std::string(e.what()).rfind(path("cut.hec") + ": truncated", 0),
              0u)
        << e.what();
  }
}

TEST_F(CheckpointTest, WrongMagicVersionOrTrailingBytes) {
  std::vector<uint8_t> bytes = encoded();
  std::vector<uint8_t> magic = bytes;
  magic[0] = 'X';
  EXPECT_NE(decodeError(magic).find("not a hec checkpoint"), std::string::npos);
  std::vector<uint8_t> version = bytes;
  version[8] = 9;
  EXPECT_NE(decodeError(version).find("format version 9"), std::string::npos)
      << decodeError(version);
  std::vector<uint8_t> trailing = bytes;
  trailing.push_back(0);
  EXPECT_NE(decodeError(trailing).find("1 trailing bytes"), std::string::npos)
      << decodeError(trailing);
  EXPECT_NE(decodeError({}).find("not a hec checkpoint"), std::string::npos);
}

// A payload with a valid checksum but a malformed entry: the entry parser
// checks bounds itself.
TEST_F(CheckpointTest, MalformedEntriesBehindAValidChecksum) {
  auto frame = [](std::vector<uint8_t> payload) {
    Checkpoint empty;
    std::vector<uint8_t> header = empty.encode();
    header.resize(24);
    // Recompute the frame around the hand-made payload.
    std::vector<uint8_t> out(header.begin(), header.begin() + 12);
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, payload.data(), uInt(payload.size()));
    for (int i = 0; i < 4; ++i)
      out.push_back(uint8_t(crc >> (8 * i)));
    for (int i = 0; i < 8; ++i)
      out.push_back(uint8_t(uint64_t(payload.size()) >> (8 * i)));
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
  };
  // One entry "k" of unknown type 7.
  EXPECT_NE(decodeError(frame({1, 0, 0, 0, 1, 0, 'k', 7}))
                .find("entry 'k' has unknown type 7"),
            std::string::npos);
  // A tensor whose shape promises more bytes than there are.
  EXPECT_NE(decodeError(frame({1, 0, 0, 0, 1, 0, 'k', 3, 0, 1, 0xff, 0xff, 0xff,
                               0xff, 0xff, 0xff, 0xff, 0x7f}))
                .find("dimension"),
            std::string::npos);
  // The same key twice.
  EXPECT_NE(decodeError(frame({2, 0, 0, 0, 1,   0, 'k', 0, 1, 0, 0, 0, 0, 0,
                               0, 0, 1, 0, 'k', 0, 1,   0, 0, 0, 0, 0, 0, 0}))
                .find("appears twice"),
            std::string::npos);
  // More entries announced than present.
  EXPECT_NE(decodeError(frame({2, 0, 0, 0})).find("truncated payload"),
            std::string::npos);
}

// The disk fills up while the new checkpoint is written: the error names
// the file and the reason, the old checkpoint is untouched and no temporary
// file is left. /dev/full stands in for the full disk.
TEST_F(CheckpointTest, AFullDiskLeavesThePreviousCheckpointIntact) {
  if (!fs::exists("/dev/full"))
    GTEST_SKIP() << "no /dev/full";
  writeCheckpoint(path("ck.hec"), sample());
  auto before = fs::file_size(path("ck.hec"));
  // The temporary is this process's (TemporaryPath.h): make it the full disk.
  std::string temporary = temporaryPathFor(path("ck.hec"));
  ASSERT_NE(temporary.find("ck.hec.tmp."), std::string::npos) << temporary;
  fs::create_symlink("/dev/full", temporary);
  Checkpoint bigger = sample();
  bigger.setTensor("more", torch::zeros({1000}));
  try {
    writeCheckpoint(path("ck.hec"), bigger);
    ADD_FAILURE() << "writing to a full disk succeeded";
  } catch (const Error &e) {
    EXPECT_NE(
        std::string(e.what()).find(temporary + ": No space left on device"),
        std::string::npos)
        << e.what();
  }
  EXPECT_EQ(fs::file_size(path("ck.hec")), before);
  EXPECT_FALSE(fs::exists(fs::symlink_status(temporary)));
  EXPECT_EQ(readCheckpoint(path("ck.hec")).getInt("epoch"), -3);
}

// Jobs of one sweep on several nodes write the same shared files: each
// writer's temporary carries its host and process, and what a dead writer
// left is recognised by its prefix.
TEST(TemporaryPathTest, NamesTheHostAndTheProcess) {
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
  EXPECT_EQ(temporaryPathFor("/runs/ck.hec"),
            "/runs/ck.hec.tmp." + std::string(host).substr(0, 32) + "." +
                std::to_string(getpid()));
  EXPECT_TRUE(isTemporaryOf("ck.hec.tmp", "ck.hec"));
  EXPECT_TRUE(isTemporaryOf("ck.hec.tmp.node7.4242", "ck.hec"));
  EXPECT_FALSE(isTemporaryOf("ck.hec.tmpx", "ck.hec"));
  EXPECT_FALSE(isTemporaryOf("ck.hec", "ck.hec"));
  EXPECT_FALSE(isTemporaryOf("other.tmp.node7.1", "ck.hec"));
}

TEST_F(CheckpointTest, AnUnwritableFolderIsReported) {
  try {
    writeCheckpoint(path("no-such-folder/ck.hec"), sample());
    ADD_FAILURE() << "wrote into a folder that does not exist";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("no-such-folder/ck.hec.tmp"),
              std::string::npos)
        << e.what();
  }
}
} // namespace
} // namespace he::runtime
