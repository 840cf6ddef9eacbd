// The sweep's progress line: runs done and the time left, estimated from
// the wall time this process spent per epoch (runs found finished or
// resumed count none of what they did before).
#include "tools/hec/Reporter.h"

#include <gtest/gtest.h>

using hec::SweepProgress;

namespace {
SweepProgress::Clock::time_point at(double seconds) {
  return SweepProgress::Clock::time_point(
      std::chrono::duration_cast<SweepProgress::Clock::duration>(
          std::chrono::duration<double>(seconds)));
}

TEST(SweepProgressTest, EstimatesFromTheEpochsTimedHere) {
  SweepProgress p;
  p.start(4, 2, at(0));
  EXPECT_EQ(p.text(), "sweep: 0/4 runs done"); // nothing timed yet
  p.epochDone(at(10));
  EXPECT_EQ(p.text(), "sweep: 0/4 runs done, about 70 s left"); // 7 x 10 s
  p.epochDone(at(20));
  p.runEnded(at(22)); // emitting the model counts toward the epochs' time
  EXPECT_DOUBLE_EQ(p.secondsLeft(), 66); // 6 epochs x 22 s / 2
  // Found finished: its epochs are no longer left, its time not counted.
  p.runSkipped(at(30));
  EXPECT_DOUBLE_EQ(p.secondsLeft(), 44);
  // Resumed at epoch 1: one epoch to go, timed from the resume on.
  p.runResumed(1);
  p.epochDone(at(40));
  p.runEnded(at(40));
  EXPECT_EQ(p.runsDone(), 3);
  EXPECT_EQ(p.text(), "sweep: 3/4 runs done, about 22 s left"); // 2 x 32/3 s
  p.epochDone(at(50));
  p.epochDone(at(60));
  p.runEnded(at(60));
  EXPECT_EQ(p.text(), "sweep: 4/4 runs done");
}

TEST(SweepProgressTest, ARunThatStopsEarlyLeavesNoEpochs) {
  SweepProgress p;
  p.start(2, 3, at(0));
  p.epochDone(at(5));
  p.runEnded(at(6));                     // diverged after one epoch of three
  EXPECT_DOUBLE_EQ(p.secondsLeft(), 18); // the other run's 3 epochs x 6 s
}

TEST(SweepProgressTest, LongEstimatesReadInMinutesAndHours) {
  SweepProgress p;
  p.start(100, 10, at(0));
  p.epochDone(at(60));
  EXPECT_EQ(p.text(), "sweep: 0/100 runs done, about 16 h 39 min left");
  SweepProgress q;
  q.start(1, 4, at(0));
  q.epochDone(at(100));
  EXPECT_EQ(q.text(), "sweep: 0/1 runs done, about 5 min left");
}
} // namespace
