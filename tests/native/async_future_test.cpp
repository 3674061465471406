// Futures in the async engine (definitions.py SharedFutureImpl, future_copy, cancel_copy,
// drop; run_tests.py test_futures and test_self_copy without tasks): one value, read and
// written once. Built-ins are called directly; CopyDriver carries out the copies.
#include <gtest/gtest.h>

#include "async/canon_streams.h"
#include "copy_driver.h"
#include "values/async_values.h"

namespace cm::async {
namespace {

using testing::CopyDriver;
using testing::high;
using testing::low;
using testing::trap_message;

const TypeRef U8 = types::primitive(TypeKind::U8);
const TypeRef U64 = types::primitive(TypeKind::U64);
const TypeRef STRING = types::primitive(TypeKind::String);

constexpr uint32_t COMPLETED = static_cast<uint32_t>(CopyResult::Completed);
constexpr uint32_t DROPPED = static_cast<uint32_t>(CopyResult::Dropped);
constexpr uint32_t CANCELLED = static_cast<uint32_t>(CopyResult::Cancelled);

CopyEnd& end_at(ComponentInstance& inst, uint32_t i) {
  return static_cast<CopyEnd&>(*inst.handles.get(i));
}

struct FutureTest : ::testing::Test {
  ComponentInstance a, b;
  VectorMemory mem_a{64}, mem_b{64};
  CopyDriver js;
  CopyOptions async_a{true, 1, 64}, sync_a{false, 1, 64}, async_b{true, 2, 64};
  void SetUp() override {
    js.memories[1] = &mem_a;
    js.memories[2] = &mem_b;
  }
  // future.new in b, readable end passed to a as a value (lift from b, lower into a).
  std::pair<uint32_t, uint32_t> new_future_b_to_a(const TypeRef& elem) {
    uint64_t packed = canon_future_new(b, elem);
    LiftLowerOptions opts;
    LiftLowerContext from_b(opts, b), into_a(opts, a);
    const TypeRef ft_ref = types::future(elem);
    const ValType& ft = *ft_ref;
    FutureValue v = lift_future(from_b, low(packed), ft);
    return {lower_future(into_a, v, ft), high(packed)};
  }
};

// test_self_copy (future part): write first (BLOCKED), the read completes both; the writer's
// event says COMPLETED and both ends are DONE.
TEST_F(FutureTest, WriteThenReadCompletesBoth) {
  uint64_t packed = canon_future_new(a, U64);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(ri, 1u);
  EXPECT_EQ(wi, 2u);
  const uint64_t value = 0x0102030405060708;
  std::memcpy(mem_a.bytes.data() + 8, &value, 8);
  EXPECT_EQ(js(canon_future_write(a, U64, async_a, wi, 8)), BLOCKED);
  CopyOutcome r = canon_future_read(a, U64, async_a, ri, 16);
  ASSERT_EQ(r.copies.size(), 1u);
  EXPECT_EQ(r.copies[0].n, 1u);
  EXPECT_EQ(js(r), COMPLETED);
  EXPECT_EQ(std::memcmp(mem_a.bytes.data() + 16, &value, 8), 0);
  EXPECT_EQ(end_at(a, ri).state, CopyState::Done);
  canon_future_drop_readable(a, U64, ri);
  Event ev = end_at(a, wi).get_pending_event();
  EXPECT_EQ(ev.code, EventCode::FutureWrite);
  EXPECT_EQ(ev.p1, wi);
  EXPECT_EQ(ev.p2, COMPLETED);
  EXPECT_EQ(end_at(a, wi).state, CopyState::Done);
  canon_future_drop_writable(a, U64, wi);
  EXPECT_EQ(a.handles.live(), 0u);
}

// test_futures: the reader waits (BLOCKED) in one instance, the writer in another completes
// it; the reader's event carries no progress bits.
TEST_F(FutureTest, ReadThenWriteAcrossInstances) {
  auto [ri, wi] = new_future_b_to_a(U8);
  EXPECT_EQ(js(canon_future_read(a, U8, async_a, ri, 0)), BLOCKED);
  mem_b.bytes[3] = 0x2a;
  EXPECT_EQ(js(canon_future_write(b, U8, async_b, wi, 3)), COMPLETED);
  Event ev = end_at(a, ri).get_pending_event();
  EXPECT_EQ(ev.code, EventCode::FutureRead);
  EXPECT_EQ(ev.p2, COMPLETED);
  EXPECT_EQ(mem_a.bytes[0], 0x2a);
  canon_future_drop_writable(b, U8, wi);
  canon_future_drop_readable(a, U8, ri);
}

// A sync read blocks; finish_blocked_copy returns COMPLETED once the writer wrote.
TEST_F(FutureTest, SyncReadBlocksUntilWritten) {
  auto [ri, wi] = new_future_b_to_a(U8);
  CopyOutcome r = canon_future_read(a, U8, sync_a, ri, 0);
  EXPECT_TRUE(r.block);
  EXPECT_EQ(js(canon_future_write(b, U8, async_b, wi, 0)), COMPLETED);
  EXPECT_EQ(finish_blocked_copy(a, ri), COMPLETED);
}

// futures-must-write.wast: the reader may drop before reading; the writer then sees DROPPED
// (and is DONE, so it may drop).
TEST_F(FutureTest, ReaderDropBeforeReadGivesWriterDropped) {
  uint64_t packed = canon_future_new(a, U8);
  uint32_t ri = low(packed), wi = high(packed);
  canon_future_drop_readable(a, U8, ri);
  EXPECT_EQ(js(canon_future_write(a, U8, async_a, wi, 0)), DROPPED);
  EXPECT_EQ(end_at(a, wi).state, CopyState::Done);
  EXPECT_EQ(trap_message([&] { canon_future_write(a, U8, async_a, wi, 0); }),
            "cannot write to future after previous write succeeded or readable end dropped");
  canon_future_drop_writable(a, U8, wi);
}

// The reader dropping while a write is pending ends the write with DROPPED.
TEST_F(FutureTest, ReaderDropEndsPendingWrite) {
  uint64_t packed = canon_future_new(a, U8);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(js(canon_future_write(a, U8, async_a, wi, 0)), BLOCKED);
  canon_future_drop_readable(a, U8, ri);
  EXPECT_EQ(end_at(a, wi).get_pending_event().p2, DROPPED);
  canon_future_drop_writable(a, U8, wi);
}

// test_cancel_copy (future part): a cancelled read goes back to IDLE and may read again.
TEST_F(FutureTest, CancelReadThenReadAgain) {
  auto [ri, wi] = new_future_b_to_a(U8);
  EXPECT_EQ(js(canon_future_read(a, U8, async_a, ri, 0)), BLOCKED);
  EXPECT_EQ(js(canon_future_cancel_read(a, U8, true, ri)), CANCELLED);
  EXPECT_EQ(end_at(a, ri).state, CopyState::Idle);
  mem_b.bytes[0] = 9;
  EXPECT_EQ(js(canon_future_write(b, U8, async_b, wi, 0)), BLOCKED);
  EXPECT_EQ(js(canon_future_read(a, U8, async_a, ri, 1)), COMPLETED);
  EXPECT_EQ(mem_a.bytes[1], 9);
  // A cancel racing a completed write returns COMPLETED.
  uint64_t packed = canon_future_new(a, U8);
  uint32_t r2 = low(packed), w2 = high(packed);
  EXPECT_EQ(js(canon_future_write(a, U8, async_a, w2, 0)), BLOCKED);
  EXPECT_EQ(js(canon_future_read(a, U8, async_a, r2, 0)), COMPLETED);
  EXPECT_EQ(js(canon_future_cancel_write(a, U8, true, w2)), COMPLETED);
}

// HostFutureSource-like: the host holds the writable end of a future passed into wasm and
// resolves it after the guest started reading; its value lands at the guest's pointer.
TEST_F(FutureTest, HostResolvesFutureGuestIsReading) {
  auto shared = std::make_shared<SharedFuture>(U64);
  WritableFutureEnd host_writer(shared);
  LiftLowerOptions opts;
  LiftLowerContext cx(opts, a);
  const TypeRef ft = types::future(U64);
  uint32_t ri = lower_future(cx, FutureValue{shared}, *ft);
  EXPECT_EQ(js(canon_future_read(a, U64, async_a, ri, 8)), BLOCKED);
  std::vector<uint8_t> value = {1, 2, 3, 4, 5, 6, 7, 8};
  js.host_chunks[5] = &value;
  CopyOutcome w = host_future_copy(host_writer, 5);
  ASSERT_EQ(w.copies.size(), 1u);
  EXPECT_TRUE(w.copies[0].src.is_host());
  EXPECT_EQ(w.copies[0].dst.ptr, 8u);
  // The driver's host chunks count elements of the element type (here one u64).
  EXPECT_EQ(js(w), COMPLETED);
  EXPECT_EQ(std::vector<uint8_t>(mem_a.bytes.begin() + 8, mem_a.bytes.begin() + 16), value);
  EXPECT_EQ(end_at(a, ri).get_pending_event().p2, COMPLETED);
  EXPECT_EQ(host_writer.state, CopyState::Done);
}

// ---- traps ----

// futures-must-write.wast.
TEST_F(FutureTest, DropWriterBeforeWritingTraps) {
  uint64_t packed = canon_future_new(a, U8);
  uint32_t wi = high(packed);
  EXPECT_EQ(trap_message([&] { canon_future_drop_writable(a, U8, wi); }),
            "cannot drop future write end without first writing a value");
  EXPECT_EQ(js(canon_future_write(a, U8, async_a, wi, 0)), BLOCKED);
  EXPECT_EQ(trap_message([&] { canon_future_drop_writable(a, U8, wi); }),
            "cannot drop future write end without first writing a value");
}

// trap-if-done.wast: after a completed read or write, the end is DONE.
TEST_F(FutureTest, ReadWriteOrLiftAfterDoneTraps) {
  uint64_t packed = canon_future_new(a, U8);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(js(canon_future_write(a, U8, async_a, wi, 0)), BLOCKED);
  EXPECT_EQ(js(canon_future_read(a, U8, async_a, ri, 0)), COMPLETED);
  EXPECT_EQ(trap_message([&] { canon_future_read(a, U8, async_a, ri, 0); }),
            "cannot read from future after previous read succeeded");
  LiftLowerOptions opts;
  LiftLowerContext cx(opts, a);
  EXPECT_EQ(trap_message([&] { lift_future(cx, ri, *types::future(U8)); }),
            "cannot lift future after previous read succeeded");
  end_at(a, wi).get_pending_event();
  EXPECT_EQ(trap_message([&] { canon_future_write(a, U8, async_a, wi, 0); }),
            "cannot write to future after previous write succeeded or readable end dropped");
}

// trap-if-sync-and-waitable-set.wast, trap-if-transfer-in-waitable-set.wast.
TEST_F(FutureTest, SyncOpsAndLiftInWaitableSetTrap) {
  uint64_t packed = canon_future_new(a, U8);
  uint32_t ri = low(packed), wi = high(packed);
  WaitableSet set;
  end_at(a, ri).join(&set);
  end_at(a, wi).join(&set);
  const std::string msg = "waitable cannot be used synchronously while added to a waitable set";
  EXPECT_EQ(trap_message([&] { canon_future_read(a, U8, sync_a, ri, 0); }), msg);
  EXPECT_EQ(trap_message([&] { canon_future_write(a, U8, sync_a, wi, 0); }), msg);
  EXPECT_EQ(js(canon_future_write(a, U8, async_a, wi, 0)), BLOCKED);
  // A cancel says more: the rule is newer than toolchains that break it (wit-bindgen 0.58).
  const std::string cancel = trap_message([&] { canon_future_cancel_write(a, U8, false, wi); });
  EXPECT_EQ(cancel.rfind(msg, 0), 0u) << cancel;
  EXPECT_NE(cancel.find("wit-bindgen 0.58"), std::string::npos) << cancel;
  LiftLowerOptions opts;
  LiftLowerContext cx(opts, a);
  EXPECT_EQ(trap_message([&] { lift_future(cx, ri, *types::future(U8)); }),
            "cannot lift future while it's in a waitable set");
}

// same-component-stream-future.wast: numbers may be copied within an instance; other
// element types trap, on read and on write.
TEST_F(FutureTest, IntraComponentNonNumericCopyTraps) {
  const std::string msg = "cannot read from and write to intra-component future";
  uint64_t p1 = canon_future_new(a, STRING);
  EXPECT_EQ(js(canon_future_write(a, STRING, async_a, high(p1), 0)), BLOCKED);
  EXPECT_EQ(trap_message([&] { canon_future_read(a, STRING, async_a, low(p1), 8); }), msg);
  uint64_t p2 = canon_future_new(a, STRING);
  EXPECT_EQ(js(canon_future_read(a, STRING, async_a, low(p2), 8)), BLOCKED);
  EXPECT_EQ(trap_message([&] { canon_future_write(a, STRING, async_a, high(p2), 0); }), msg);
}

TEST_F(FutureTest, BusyDropAndWrongEndTrap) {
  uint64_t packed = canon_future_new(a, U8);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(trap_message([&] { canon_future_read(a, U8, async_a, wi, 0); }),
            "handle index 2 is not a readable future end");
  EXPECT_EQ(trap_message([&] { canon_stream_read(a, U8, async_a, ri, 0, 1); }),
            "handle index 1 is not a readable stream end");
  EXPECT_EQ(js(canon_future_read(a, U8, async_a, ri, 0)), BLOCKED);
  EXPECT_EQ(trap_message([&] { canon_future_drop_readable(a, U8, ri); }), "cannot remove busy future");
  EXPECT_EQ(trap_message([&] { canon_future_read(a, U8, async_a, ri, 70); }),
            "cannot have concurrent operations active on a future/stream");
}

TEST_F(FutureTest, BufferOutOfBoundsTraps) {
  uint64_t packed = canon_future_new(a, U64);
  EXPECT_EQ(trap_message([&] { canon_future_read(a, U64, async_a, low(packed), 64); }),
            "stream/future buffer out of bounds");
  EXPECT_EQ(trap_message([&] { canon_future_read(a, U64, async_a, low(packed), 4); }),
            "unaligned pointer");
}

}  // namespace
}  // namespace cm::async
