// Streams in the async engine (definitions.py SharedStreamImpl, stream_copy, cancel_copy,
// drop; run_tests.py's stream scenarios without tasks): built-ins are called directly, and
// CopyDriver plays JS by carrying out the copies. Events are delivered the way
// waitable-set.wait would: Waitable::get_pending_event on the end.
#include <gtest/gtest.h>

#include "async/canon_streams.h"
#include "copy_driver.h"
#include "values/async_values.h"

namespace cm::async {
namespace {

using testing::completed;
using testing::CopyDriver;
using testing::dropped;
using testing::cancelled;
using testing::high;
using testing::low;
using testing::trap_message;

const TypeRef U8 = types::primitive(TypeKind::U8);
const TypeRef U32 = types::primitive(TypeKind::U32);
const TypeRef STRING = types::primitive(TypeKind::String);

CopyEnd& end_at(ComponentInstance& inst, uint32_t i) {
  return static_cast<CopyEnd&>(*inst.handles.get(i));
}

// One instance with one memory (id 1) and its async/sync options.
struct Guest {
  ComponentInstance inst;
  VectorMemory mem;
  uint32_t id;
  Guest(uint32_t memory_id, size_t size) : mem(size), id(memory_id) {}
  CopyOptions async() const { return CopyOptions{true, id, mem.bytes.size()}; }
  CopyOptions sync() const { return CopyOptions{false, id, mem.bytes.size()}; }
};

struct StreamTest : ::testing::Test {
  Guest a{1, 64};
  Guest b{2, 64};
  CopyDriver js;
  void SetUp() override {
    js.memories[1] = &a.mem;
    js.memories[2] = &b.mem;
  }
};

// canon_stream_new: readable index allocated first, in the low 32 bits.
TEST_F(StreamTest, NewPacksReadableLowWritableHigh) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  EXPECT_EQ(low(packed), 1u);
  EXPECT_EQ(high(packed), 2u);
  EXPECT_EQ(a.inst.handles.get(1)->kind(), HandleKind::ReadableStreamEnd);
  EXPECT_EQ(a.inst.handles.get(2)->kind(), HandleKind::WritableStreamEnd);
}

// test_eager_stream_completion / test_self_copy: a write with no reader is pending
// (BLOCKED); the read meeting it copies min(remain) and completes eagerly; the writer learns
// of the progress through its pending event.
TEST_F(StreamTest, ReadMeetingPendingWriteCompletesEagerly) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  const uint8_t data[] = {1, 2, 3};
  std::memcpy(a.mem.bytes.data() + 8, data, 3);

  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 8, 3)), BLOCKED);
  CopyOutcome r1 = canon_stream_read(a.inst, U8, a.async(), ri, 32, 1);
  ASSERT_EQ(r1.copies.size(), 1u);
  EXPECT_EQ(r1.copies[0].src.memory_id, 1u);
  EXPECT_EQ(r1.copies[0].src.ptr, 8u);
  EXPECT_EQ(r1.copies[0].dst.ptr, 32u);
  EXPECT_EQ(r1.copies[0].n, 1u);
  EXPECT_EQ(js(r1), completed(1));
  // The writer's buffer is still the pending one: the next read continues from byte 9.
  CopyOutcome r2 = canon_stream_read(a.inst, U8, a.async(), ri, 33, 4);
  ASSERT_EQ(r2.copies.size(), 1u);
  EXPECT_EQ(r2.copies[0].src.ptr, 9u);
  EXPECT_EQ(js(r2), completed(2));
  EXPECT_EQ(a.mem.bytes[32], 1);
  EXPECT_EQ(a.mem.bytes[33], 2);
  EXPECT_EQ(a.mem.bytes[34], 3);

  CopyEnd& w = end_at(a.inst, wi);
  EXPECT_EQ(w.state, CopyState::Copying);  // until the event is delivered
  Event ev = w.get_pending_event();
  EXPECT_EQ(ev.code, EventCode::StreamWrite);
  EXPECT_EQ(ev.p1, wi);
  EXPECT_EQ(ev.p2, completed(3));
  EXPECT_EQ(w.state, CopyState::Idle);
}

// partial-stream-copies.wast: a 12-byte read is filled by three writes before its event is
// delivered; each write completes with its own progress.
TEST_F(StreamTest, PendingReadIsFilledByManyWrites) {
  uint64_t packed = canon_stream_new(b.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  // Hand the readable end to a: lift from b, lower into a.
  LiftLowerOptions opts;
  LiftLowerContext from_b(opts, b.inst), into_a(opts, a.inst);
  StreamValue v = lift_stream(from_b, ri, *types::stream(U8));
  uint32_t ari = lower_stream(into_a, v, *types::stream(U8));

  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ari, 0, 12)), BLOCKED);
  for (uint8_t k = 0; k < 16; ++k) b.mem.bytes[k] = static_cast<uint8_t>(0xa0 + k);
  EXPECT_EQ(js(canon_stream_write(b.inst, U8, b.async(), wi, 0, 4)), completed(4));
  EXPECT_EQ(js(canon_stream_write(b.inst, U8, b.async(), wi, 4, 4)), completed(4));
  EXPECT_EQ(js(canon_stream_write(b.inst, U8, b.async(), wi, 8, 8)), completed(4));
  CopyEnd& r = end_at(a.inst, ari);
  ASSERT_TRUE(r.has_pending_event());
  Event ev = r.get_pending_event();
  EXPECT_EQ(ev.code, EventCode::StreamRead);
  EXPECT_EQ(ev.p1, ari);
  EXPECT_EQ(ev.p2, completed(12));
  for (uint8_t k = 0; k < 12; ++k) EXPECT_EQ(a.mem.bytes[k], 0xa0 + k);
  // Delivery reclaimed the buffer: the next write has no partner.
  EXPECT_EQ(js(canon_stream_write(b.inst, U8, b.async(), wi, 12, 4)), BLOCKED);
}

// SharedStreamImpl.write: a pending read already full (event not yet delivered) is
// completed, and the new write becomes the pending op.
TEST_F(StreamTest, WriteAfterFilledReadBecomesPending) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 0, 2)), BLOCKED);
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 8, 2)), completed(2));
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 10, 2)), BLOCKED);
  EXPECT_EQ(end_at(a.inst, ri).get_pending_event().p2, completed(2));
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 0, 8)), completed(2));
  EXPECT_EQ(end_at(a.inst, wi).get_pending_event().p2, completed(2));
}

// zero-length.wast, Concurrency.md "Stream Readiness": 0-length ops are readiness probes.
// A 0-length write meeting a pending 0-length read completes and leaves the read pending;
// a real write then completes the 0-length read and waits for a real read.
TEST_F(StreamTest, ZeroLengthOpsAreReadinessProbes) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 0, 0)), BLOCKED);
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 0, 0)), completed(0));
  EXPECT_FALSE(end_at(a.inst, ri).has_pending_event());

  const uint8_t data[] = {5, 6, 7, 8};
  std::memcpy(a.mem.bytes.data() + 16, data, 4);
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 16, 4)), BLOCKED);
  EXPECT_EQ(end_at(a.inst, ri).get_pending_event().p2, completed(0));

  // A 0-length read meeting a pending non-empty write: ready, nothing moves, the write stays.
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 0, 0)), completed(0));
  EXPECT_FALSE(end_at(a.inst, wi).has_pending_event());
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 32, 4)), completed(4));
  EXPECT_EQ(end_at(a.inst, wi).get_pending_event().p2, completed(4));
  EXPECT_EQ(std::vector<uint8_t>(a.mem.bytes.begin() + 32, a.mem.bytes.begin() + 36),
            std::vector<uint8_t>(data, data + 4));
}

// test_wasm_to_wasm_stream_empty: a stream without element type moves counts only; the
// pointer is ignored (no bounds check) and no copy is emitted.
TEST_F(StreamTest, UntypedStreamMovesCountsOnly) {
  uint64_t packed = canon_stream_new(a.inst, nullptr);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(js(canon_stream_read(a.inst, nullptr, a.async(), ri, 1000000, 8)), BLOCKED);
  CopyOutcome w = canon_stream_write(a.inst, nullptr, a.async(), wi, 10000, 2);
  EXPECT_TRUE(w.copies.empty());
  EXPECT_EQ(w.result, completed(2));
  EXPECT_EQ(js(canon_stream_write(a.inst, nullptr, a.async(), wi, 10000, 2)), completed(2));
  EXPECT_EQ(end_at(a.inst, ri).get_pending_event().p2, completed(4));
}

// closed-stream.wast, trap-if-done.wast: after the writer dropped, a read sees DROPPED and
// the end is DONE: further reads and lifts trap; dropping is still allowed.
TEST_F(StreamTest, ReadAfterWriterDroppedSeesDroppedThenTraps) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  canon_stream_drop_writable(a.inst, U8, wi);
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 0, 4)), dropped(0));
  EXPECT_EQ(end_at(a.inst, ri).state, CopyState::Done);
  EXPECT_EQ(trap_message([&] { canon_stream_read(a.inst, U8, a.async(), ri, 0, 4); }),
            "cannot read from stream after being notified that the writable end dropped");
  LiftLowerOptions opts;
  LiftLowerContext cx(opts, a.inst);
  EXPECT_EQ(trap_message([&] { lift_stream(cx, ri, *types::stream(U8)); }),
            "cannot lift stream after being notified that the writable end dropped");
  canon_stream_drop_readable(a.inst, U8, ri);
  EXPECT_EQ(a.inst.handles.live(), 0u);
}

// The writer dropping while a read is pending ends it with DROPPED, keeping its progress.
TEST_F(StreamTest, WriterDropEndsPendingReadWithProgress) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 0, 8)), BLOCKED);
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 16, 3)), completed(3));
  canon_stream_drop_writable(a.inst, U8, wi);
  Event ev = end_at(a.inst, ri).get_pending_event();
  EXPECT_EQ(ev.p2, dropped(3));
  EXPECT_EQ(end_at(a.inst, ri).state, CopyState::Done);
}

// test_self_copy's tail: the reader dropping ends the pending write with DROPPED; writing
// again traps.
TEST_F(StreamTest, ReaderDropEndsPendingWriteThenWriteTraps) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 0, 3)), BLOCKED);
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 8, 1)), completed(1));
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 8, 4)), completed(2));
  canon_stream_drop_readable(a.inst, U8, ri);
  EXPECT_EQ(end_at(a.inst, wi).get_pending_event().p2, dropped(3));
  EXPECT_EQ(trap_message([&] { canon_stream_write(a.inst, U8, a.async(), wi, 0, 1); }),
            "cannot write to stream after being notified that the readable end dropped");
  canon_stream_drop_writable(a.inst, U8, wi);
}

// test_cancel_copy, cancel-stream.wast: cancelling a pending op with no progress returns
// CANCELLED at once; after a partial copy too, with the progress (the suite's rule; the
// spec's Python would deliver the undelivered COMPLETED event instead).
TEST_F(StreamTest, CancelReadReturnsCancelledOrRacedProgress) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 0, 8)), BLOCKED);
  EXPECT_EQ(js(canon_stream_cancel_read(a.inst, U8, true, ri)), cancelled(0));
  EXPECT_EQ(end_at(a.inst, ri).state, CopyState::Idle);

  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 0, 8)), BLOCKED);
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 16, 3)), completed(3));
  EXPECT_EQ(js(canon_stream_cancel_read(a.inst, U8, true, ri)), cancelled(3));
  // The buffer was reclaimed: the next write waits.
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 16, 3)), BLOCKED);
  EXPECT_EQ(js(canon_stream_cancel_write(a.inst, U8, true, wi)), cancelled(0));
}

// A sync read with no partner blocks (never inside the engine): JS waits for the end's
// event, then finish_blocked_copy yields the payload (sync-streams.wast).
TEST_F(StreamTest, SyncReadBlocksUntilWriteArrives) {
  uint64_t packed = canon_stream_new(b.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  LiftLowerOptions opts;
  LiftLowerContext from_b(opts, b.inst), into_a(opts, a.inst);
  uint32_t ari = lower_stream(into_a, lift_stream(from_b, ri, *types::stream(U8)), *types::stream(U8));

  CopyOutcome r = canon_stream_read(a.inst, U8, a.sync(), ari, 0, 4);
  EXPECT_TRUE(r.block);
  EXPECT_TRUE(end_at(a.inst, ari).has_sync_waiter);
  // A sync op in flight cannot be cancelled.
  EXPECT_EQ(trap_message([&] { canon_stream_cancel_read(a.inst, U8, true, ari); }),
            "cannot cancel a stream/future copy that is not in progress");
  b.mem.bytes[0] = 42;
  EXPECT_EQ(js(canon_stream_write(b.inst, U8, b.sync(), wi, 0, 1)), completed(1));
  ASSERT_TRUE(end_at(a.inst, ari).has_pending_event());
  EXPECT_EQ(finish_blocked_copy(a.inst, ari), completed(1));
  EXPECT_FALSE(end_at(a.inst, ari).has_sync_waiter);
  EXPECT_EQ(a.mem.bytes[0], 42);
}

// test_stream_forward-like: the host consumes a readable end lifted out of wasm; its chunk
// is a host site counted in elements.
TEST_F(StreamTest, HostReadsFromGuestWriter) {
  uint64_t packed = canon_stream_new(a.inst, U32);
  uint32_t ri = low(packed), wi = high(packed);
  LiftLowerOptions opts;
  LiftLowerContext cx(opts, a.inst);
  ReadableStreamEnd host_end(lift_stream(cx, ri, *types::stream(U32)).shared);
  std::vector<uint8_t> chunk(16);
  js.host_chunks[7] = &chunk;

  const uint32_t words[] = {0x11223344, 0x55667788};
  std::memcpy(a.mem.bytes.data() + 4, words, 8);
  EXPECT_EQ(js(canon_stream_write(a.inst, U32, a.async(), wi, 4, 2)), BLOCKED);
  CopyOutcome h = host_stream_copy(host_end, 7, 4);
  ASSERT_EQ(h.copies.size(), 1u);
  EXPECT_TRUE(h.copies[0].dst.is_host());
  EXPECT_EQ(h.copies[0].dst.ptr, 0u);
  EXPECT_EQ(js(h), completed(2));
  EXPECT_EQ(std::memcmp(chunk.data(), words, 8), 0);
  EXPECT_EQ(end_at(a.inst, wi).get_pending_event().p2, completed(2));
  // The host's next read waits, then the guest's write lands at element 0 of a new chunk.
  EXPECT_EQ(js(host_stream_copy(host_end, 7, 4)), BLOCKED);
  EXPECT_EQ(js(canon_stream_write(a.inst, U32, a.async(), wi, 4, 1)), completed(1));
  Event ev = host_end.get_pending_event();
  EXPECT_EQ(ev.p1, 7u);
  EXPECT_EQ(ev.p2, completed(1));
}

// test_cancel_copy (first half): the host consumes 2 of a pending 4-byte write; cancelling
// the write (sync or async) then reports the progress as CANCELLED (the spec's suite,
// async/cancel-stream.wast; run_tests.py expects COMPLETED), and after the writer drops,
// the host's next read sees DROPPED.
TEST_F(StreamTest, CancelWriteAfterHostConsumedPart) {
  for (bool async_cancel : {false, true}) {
    uint64_t packed = canon_stream_new(a.inst, U8);
    uint32_t ri = low(packed), wi = high(packed);
    LiftLowerOptions opts;
    LiftLowerContext cx(opts, a.inst);
    ReadableStreamEnd host_sink(lift_stream(cx, ri, *types::stream(U8)).shared);
    std::vector<uint8_t> chunk(2);
    js.host_chunks[3] = &chunk;
    const uint8_t data[] = {0x0a, 0x0b, 0x0c, 0x0d};
    std::memcpy(a.mem.bytes.data(), data, 4);
    EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 0, 4)), BLOCKED);
    EXPECT_EQ(js(host_stream_copy(host_sink, 3, 2)), completed(2));
    EXPECT_EQ(chunk, (std::vector<uint8_t>{0x0a, 0x0b}));
    EXPECT_EQ(js(canon_stream_cancel_write(a.inst, U8, async_cancel, wi)), cancelled(2));
    canon_stream_drop_writable(a.inst, U8, wi);
    EXPECT_EQ(js(host_stream_copy(host_sink, 3, 2)), dropped(0));
    EXPECT_EQ(host_sink.state, CopyState::Done);
  }
}

// test_self_copy's wait: the writer's end is in a waitable set; waitable-set.wait delivers
// its event (code, index, packed result) and the end returns to IDLE.
TEST_F(StreamTest, EventDeliveredThroughWaitableSet) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  WaitableSet set;
  end_at(a.inst, wi).join(&set);
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 0, 3)), BLOCKED);
  EXPECT_FALSE(set.has_pending_event());
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 8, 4)), completed(3));
  ASSERT_TRUE(set.has_pending_event());
  Event ev = set.get_pending_event();
  EXPECT_EQ(ev.code, EventCode::StreamWrite);
  EXPECT_EQ(ev.p1, wi);
  EXPECT_EQ(ev.p2, completed(3));
  EXPECT_EQ(end_at(a.inst, wi).state, CopyState::Idle);
  EXPECT_FALSE(set.has_pending_event());
}

// ---- traps ----

// drop-stream.wast: dropping an end with a copy in flight traps, even when a partial copy
// already produced its (undelivered) event.
TEST_F(StreamTest, DropBusyEndsTrap) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 0, 8)), BLOCKED);
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 0, 2)), completed(2));
  EXPECT_EQ(trap_message([&] { canon_stream_drop_readable(a.inst, U8, ri); }), "cannot remove busy stream");
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 0, 8)), completed(6));
  EXPECT_EQ(end_at(a.inst, ri).get_pending_event().p2, completed(8));
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 0, 8)), BLOCKED);
  EXPECT_EQ(trap_message([&] { canon_stream_drop_writable(a.inst, U8, wi); }), "cannot drop busy stream");
}

TEST_F(StreamTest, SecondOpWhileCopyingTraps) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed);
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 0, 8)), BLOCKED);
  EXPECT_EQ(trap_message([&] { canon_stream_read(a.inst, U8, a.async(), ri, 0, 8); }),
            "cannot have concurrent operations active on a future/stream");
}

// trap-if-sync-and-waitable-set.wast: sync read/write/cancel on an end in a set trap.
TEST_F(StreamTest, SyncOpsOnEndInWaitableSetTrap) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  WaitableSet set;
  end_at(a.inst, ri).join(&set);
  end_at(a.inst, wi).join(&set);
  const std::string msg = "waitable cannot be used synchronously while added to a waitable set";
  EXPECT_EQ(trap_message([&] { canon_stream_read(a.inst, U8, a.sync(), ri, 0, 1); }), msg);
  EXPECT_EQ(trap_message([&] { canon_stream_write(a.inst, U8, a.sync(), wi, 0, 1); }), msg);
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 0, 1)), BLOCKED);
  // A cancel says more: the rule is newer than toolchains that break it (wit-bindgen 0.58).
  const std::string cancel = trap_message([&] { canon_stream_cancel_read(a.inst, U8, false, ri); });
  EXPECT_EQ(cancel.rfind(msg, 0), 0u) << cancel;
  EXPECT_NE(cancel.find("wit-bindgen 0.58"), std::string::npos) << cancel;
  EXPECT_EQ(js(canon_stream_write(a.inst, U8, a.async(), wi, 0, 1)), completed(1));
  EXPECT_TRUE(set.has_pending_event());
}

// trap-if-transfer-in-waitable-set.wast, lift_async_value: an end in a set, or busy, cannot
// be lifted; a writable end is not a stream value.
TEST_F(StreamTest, LiftTrapsInSetBusyOrWritable) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  LiftLowerOptions opts;
  LiftLowerContext cx(opts, a.inst);
  const TypeRef st_ref = types::stream(U8);
  const ValType& st = *st_ref;
  EXPECT_EQ(trap_message([&] { lift_stream(cx, wi, st); }), "handle index 2 is not a readable stream end");
  WaitableSet set;
  end_at(a.inst, ri).join(&set);
  EXPECT_EQ(trap_message([&] { lift_stream(cx, ri, st); }), "cannot lift stream while it's in a waitable set");
  end_at(a.inst, ri).join(nullptr);
  EXPECT_EQ(js(canon_stream_read(a.inst, U8, a.async(), ri, 0, 1)), BLOCKED);
  EXPECT_EQ(trap_message([&] { lift_stream(cx, ri, st); }),
            "cannot have concurrent operations active on a future/stream");
  EXPECT_EQ(a.inst.handles.live(), 2u);  // failed lifts leave the table as it was
}

// stream_copy's buffer checks (BufferGuestImpl.__init__).
TEST_F(StreamTest, BufferChecksTrap) {
  uint64_t packed = canon_stream_new(a.inst, U32);
  uint32_t ri = low(packed);
  EXPECT_EQ(trap_message([&] { canon_stream_read(a.inst, U32, a.async(), ri, 0, uint32_t{1} << 28); }),
            "stream/future buffer length exceeds 2^28-1 elements");
  EXPECT_EQ(trap_message([&] { canon_stream_read(a.inst, U32, a.async(), ri, 2, 1); }), "unaligned pointer");
  EXPECT_EQ(trap_message([&] { canon_stream_read(a.inst, U32, a.async(), ri, 60, 2); }),
            "stream/future buffer out of bounds");
  // Exactly up to the end is fine; a 0-length buffer skips the pointer checks.
  EXPECT_EQ(js(canon_stream_read(a.inst, U32, a.async(), ri, 56, 2)), BLOCKED);
  EXPECT_EQ(js(canon_stream_cancel_read(a.inst, U32, true, ri)), cancelled(0));
  EXPECT_EQ(js(canon_stream_read(a.inst, U32, a.async(), ri, 3, 0)), BLOCKED);
}

// same-component-stream-future.wast: within one instance only none-or-number elements move.
TEST_F(StreamTest, IntraComponentNonNumericCopyTraps) {
  uint64_t packed = canon_stream_new(a.inst, STRING);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(js(canon_stream_write(a.inst, STRING, a.async(), wi, 0, 1)), BLOCKED);
  EXPECT_EQ(trap_message([&] { canon_stream_read(a.inst, STRING, a.async(), ri, 8, 1); }),
            "cannot read from and write to intra-component stream");
}

TEST_F(StreamTest, WrongHandleOrTypeOrMayLeaveTraps) {
  uint64_t packed = canon_stream_new(a.inst, U8);
  uint32_t ri = low(packed), wi = high(packed);
  EXPECT_EQ(trap_message([&] { canon_stream_read(a.inst, U8, a.async(), wi, 0, 1); }),
            "handle index 2 is not a readable stream end");
  EXPECT_EQ(trap_message([&] { canon_stream_write(a.inst, U8, a.async(), 9, 0, 1); }),
            "unknown handle index 9");
  EXPECT_EQ(trap_message([&] { canon_stream_read(a.inst, U32, a.async(), ri, 0, 1); }),
            "stream/future end used with the wrong element type");
  EXPECT_EQ(trap_message([&] { canon_stream_cancel_read(a.inst, U8, true, ri); }),
            "cannot cancel a stream/future copy that is not in progress");
  a.inst.may_leave = false;
  EXPECT_EQ(trap_message([&] { canon_stream_new(a.inst, U8); }), "cannot leave component instance");
  EXPECT_EQ(trap_message([&] { canon_stream_read(a.inst, U8, a.async(), ri, 0, 1); }),
            "cannot leave component instance");
  EXPECT_EQ(trap_message([&] { canon_stream_drop_readable(a.inst, U8, ri); }),
            "cannot leave component instance");
}

}  // namespace
}  // namespace cm::async
