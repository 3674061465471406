// Copies of elements that are not plain bytes (async/copy_values.h): handles move between
// the writer's and the reader's tables at the rendezvous (test/async/passing-resources.wast).
#include <gtest/gtest.h>

#include "async/canon_streams.h"
#include "async/copy_values.h"
#include "copy_driver.h"
#include "runtime/resource.h"
#include "values/async_values.h"
#include "values/lift.h"

namespace cm::async {
namespace {

using testing::cancelled;
using testing::completed;
using testing::high;
using testing::low;
using testing::trap_message;

void put_u32(VectorMemory& m, uint32_t ptr, uint32_t v) { std::memcpy(m.bytes.data() + ptr, &v, 4); }
uint32_t get_u32(const VectorMemory& m, uint32_t ptr) {
  uint32_t v;
  std::memcpy(&v, m.bytes.data() + ptr, 4);
  return v;
}

// passing-resources.wast: the producer writes 2 owned handles, the consumer reads 1. Only
// the element that was copied changes tables; cancelling the write reports progress 1 and
// leaves the second handle with the producer.
TEST(StreamCopyValues, OwnHandlesMoveOnlyWhenCopied) {
  ComponentInstance producer, consumer;
  auto rt = std::make_shared<ResourceType>(&producer);
  producer.resource_types = {rt};
  consumer.resource_types = {rt};
  VectorMemory pmem(32), cmem(32);
  LiftLowerOptions popts, copts;
  popts.memory = &pmem;
  copts.memory = &cmem;
  const TypeRef OWN_R = types::own(0);

  uint64_t packed = canon_stream_new(producer, OWN_R);
  uint32_t ri = low(packed), ws = high(packed);
  uint32_t res1 = producer.handles.add(std::make_shared<ResourceHandle>(rt, 50, true));
  uint32_t res2 = producer.handles.add(std::make_shared<ResourceHandle>(rt, 51, true));
  put_u32(pmem, 8, res1);
  put_u32(pmem, 12, res2);
  CopyOptions pcopy{true, 1, pmem.bytes.size()}, ccopy{true, 2, cmem.bytes.size()};
  EXPECT_EQ(canon_stream_write(producer, OWN_R, pcopy, ws, 8, 2).result, BLOCKED);

  LiftLowerContext from_p(popts, producer), into_c(copts, consumer);
  uint32_t rs = lower_stream(into_c, lift_stream(from_p, ri, *types::stream(OWN_R)), *types::stream(OWN_R));

  CopyOutcome r = canon_stream_read(consumer, OWN_R, ccopy, rs, 8, 1);
  EXPECT_EQ(r.result, completed(1));
  ASSERT_EQ(r.copies.size(), 1u);
  // Until JS carries out the copy, nothing has moved.
  EXPECT_EQ(static_cast<ResourceHandle&>(*producer.handles.get(res1)).rep, 50u);
  copy_values(r.copies[0], from_p, into_c);

  uint32_t got = get_u32(cmem, 8);
  EXPECT_EQ(static_cast<ResourceHandle&>(*consumer.handles.get(got)).rep, 50u);
  EXPECT_EQ(trap_message([&] { producer.handles.get(res1); }),
            "unknown handle index " + std::to_string(res1));
  EXPECT_EQ(static_cast<ResourceHandle&>(*producer.handles.get(res2)).rep, 51u);

  // The write made partial progress and is still pending: cancelling it reports that
  // progress as CANCELLED (the suite's rule, async/cancel-stream.wast).
  EXPECT_EQ(canon_stream_cancel_write(producer, OWN_R, true, ws).result, cancelled(1));
  canon_stream_drop_writable(producer, OWN_R, ws);
  canon_stream_drop_readable(consumer, OWN_R, rs);
}

// A stream end travels inside a future: the nested readable end leaves the writer's table
// and arrives as a fresh index in the reader's.
TEST(StreamCopyValues, NestedStreamEndMovesThroughFuture) {
  ComponentInstance a, b;
  VectorMemory amem(16), bmem(16);
  LiftLowerOptions aopts, bopts;
  aopts.memory = &amem;
  bopts.memory = &bmem;
  const TypeRef U8 = types::primitive(TypeKind::U8);
  const TypeRef S = types::stream(U8);

  uint64_t inner = canon_stream_new(b, U8);
  uint64_t fut = canon_future_new(b, S);
  LiftLowerContext cb(bopts, b), ca(aopts, a);
  uint32_t afr = lower_future(ca, lift_future(cb, low(fut), *types::future(S)), *types::future(S));

  put_u32(bmem, 4, low(inner));
  EXPECT_EQ(canon_future_write(b, S, CopyOptions{true, 2, 16}, high(fut), 4).result, BLOCKED);
  CopyOutcome r = canon_future_read(a, S, CopyOptions{true, 1, 16}, afr, 0);
  EXPECT_EQ(r.result, 0u);
  ASSERT_EQ(r.copies.size(), 1u);
  copy_values(r.copies[0], cb, ca);
  uint32_t ars = get_u32(amem, 0);
  EXPECT_EQ(a.handles.get(ars)->kind(), HandleKind::ReadableStreamEnd);
  EXPECT_EQ(trap_message([&] { b.handles.get(low(inner)); }),
            "unknown handle index " + std::to_string(low(inner)));

  // The moved end works: b writes, a reads.
  bmem.bytes[0] = 77;
  EXPECT_EQ(canon_stream_write(b, U8, CopyOptions{true, 2, 16}, high(inner), 0, 1).result, BLOCKED);
  testing::CopyDriver js;
  js.memories[1] = &amem;
  js.memories[2] = &bmem;
  EXPECT_EQ(js(canon_stream_read(a, U8, CopyOptions{true, 1, 16}, ars, 8, 1)), completed(1));
  EXPECT_EQ(amem.bytes[8], 77);
}

}  // namespace
}  // namespace cm::async
