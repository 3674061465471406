// The task-tree snapshot (abi/async/snapshot.h): small scenarios driven as in
// async_scenarios_test.cpp, stopped part-way, and the JSON read back.
#include <gtest/gtest.h>

#include "async/canon_async.h"
#include "async/canon_streams.h"
#include "async/snapshot.h"
#include "async_driver.h"
#include "json_lite.h"

namespace cm::async {
namespace {

using cm::testing::Json;
using cm::testing::JsonParser;
using testing::Driver;
using testing::Func;
using testing::Segment;

constexpr LiftKind kStackful{.ft_async = true, .async_ = true, .callback = false};
constexpr LiftKind kCallback{.ft_async = true, .async_ = true, .callback = true};
const TypeRef U8 = types::primitive(TypeKind::U8);

uint32_t low(uint64_t packed) { return static_cast<uint32_t>(packed); }
uint32_t high(uint64_t packed) { return static_cast<uint32_t>(packed >> 32); }

Json snapshot(const Driver& d, const std::vector<const ComponentInstance*>& instances) {
  return JsonParser(snapshot_json(d.store, instances)).parse();
}

// The handles of an array of objects, in order.
std::vector<uint64_t> handles(const Json& items) {
  std::vector<uint64_t> out;
  for (const Json& i : items.array) out.push_back(i["handle"].u64());
  return out;
}

// A callback-lifted consumer calls a stackful producer (which waits on a host flag), puts
// the subtask and a stream's writable end into a waitable set, and WAITs; half of the
// stream write has been read. The snapshot shows every part; taking it delivers nothing,
// and once everything finished the snapshot is empty again.
TEST(AsyncSnapshot, ShowsTasksSubtasksWaitableSetsAndStreamEnds) {
  Driver d;
  ComponentInstance root;
  ComponentInstance producer(&root), consumer(&root);
  const std::vector<const ComponentInstance*> instances{&root, &producer, &consumer};
  bool producer_may_return = false;
  Func producer_f{&producer, kStackful, [&] {
                    return std::vector<Segment>{
                        [&](uint32_t t, uint32_t) { return d.store.block_until(t, [&] { return producer_may_return; }); },
                        [&](uint32_t t, uint32_t) { return d.task_return(t); }};
                  }};

  const CopyOptions opts{true, 1, 64};
  uint32_t sub = 0, seti = 0, ri = 0, wi = 0, fri = 0, fwi = 0;
  std::vector<EventCode> events;
  Func consumer_f{&consumer, kCallback};
  consumer_f.core = [&](uint32_t t) {
    sub = d.lower(t, producer_f, true).value >> 4;
    seti = canon_waitable_set_new(d.store, t);
    canon_waitable_join(d.store, t, sub, seti);
    uint64_t s = canon_stream_new(consumer, U8);
    ri = low(s);
    wi = high(s);
    EXPECT_EQ(canon_stream_write(consumer, U8, opts, wi, 8, 3).result, BLOCKED);
    canon_stream_read(consumer, U8, opts, ri, 32, 1);  // takes 1 of the 3
    canon_waitable_join(d.store, t, wi, seti);
    uint64_t f = canon_future_new(consumer, U8);
    fri = low(f);
    fwi = high(f);
    return uint32_t(CallbackCode::Wait) | seti << 4;
  };
  consumer_f.callback = [&](uint32_t t, Event e) -> uint32_t {
    events.push_back(e.code);
    if (e.code == EventCode::Subtask) canon_subtask_drop(d.store, t, e.p1);
    if (events.size() < 2) return uint32_t(CallbackCode::Wait) | seti << 4;
    canon_stream_drop_readable(consumer, U8, ri);
    canon_stream_drop_writable(consumer, U8, wi);
    canon_future_drop_readable(consumer, U8, fri);
    canon_future_write(consumer, U8, opts, fwi, 40);  // DROPPED: a writer must write before it drops
    canon_future_drop_writable(consumer, U8, fwi);
    canon_waitable_set_drop(d.store, t, seti);
    d.task_return(t, 7);
    return uint32_t(CallbackCode::Exit);
  };
  uint32_t consumer_task = d.call(consumer_f);
  ASSERT_EQ(sub, 1u);
  ASSERT_EQ(seti, 2u);

  Json snap = snapshot(d, instances);
  ASSERT_EQ(snap["instances"].size(), 3u);
  EXPECT_TRUE(snap["instances"][0]["parent"].is_null());
  EXPECT_EQ(snap["instances"][2]["parent"].u64(), 0u);

  // Tasks: the consumer (instance 2) waits on its set; the producer (instance 1), called
  // through subtask 1's id, waits on the host.
  const Json& tasks = snap["tasks"];
  ASSERT_EQ(tasks.size(), 2u);
  const Json& ct = tasks[0];
  const Json& pt = tasks[1];
  EXPECT_EQ(ct["id"].u64(), consumer_task);
  EXPECT_EQ(ct["instance"].u64(), 2u);
  EXPECT_EQ(ct["lift"].text, "async-callback");
  EXPECT_EQ(ct["state"].text, "started");
  EXPECT_TRUE(ct["outcome"].is_null());
  EXPECT_TRUE(ct["callerSubtask"].is_null());
  ASSERT_EQ(ct["threads"].size(), 1u);
  EXPECT_EQ(ct["threads"][0]["state"].text, "waiting");
  EXPECT_TRUE(ct["threads"][0]["implicit"].boolean);
  EXPECT_EQ(ct["threads"][0]["waitingFor"]["kind"].text, "callback-wait");
  EXPECT_EQ(ct["threads"][0]["waitingFor"]["waitableSet"].u64(), seti);
  EXPECT_EQ(pt["instance"].u64(), 1u);
  EXPECT_EQ(pt["lift"].text, "async-stackful");
  EXPECT_EQ(pt["threads"][0]["waitingFor"]["kind"].text, "host");

  // The subtask: in the consumer's table at handle 1, its callee the producer's task.
  ASSERT_EQ(snap["subtasks"].size(), 1u);
  const Json& st = snap["subtasks"][0];
  EXPECT_EQ(pt["callerSubtask"].u64(), st["id"].u64());
  EXPECT_EQ(st["state"].text, "started");
  EXPECT_EQ(st["instance"].u64(), 2u);
  EXPECT_EQ(st["handle"].u64(), sub);
  EXPECT_EQ(st["calleeTask"].u64(), pt["id"].u64());
  EXPECT_FALSE(st["pendingEvent"].boolean);

  // The set holds the subtask and the writable end; only the end has an event (its
  // write made progress).
  const Json& ci = snap["instances"][2];
  ASSERT_EQ(ci["waitableSets"].size(), 1u);
  const Json& set = ci["waitableSets"][0];
  EXPECT_EQ(set["handle"].u64(), seti);
  ASSERT_EQ(set["members"].size(), 2u);
  EXPECT_EQ(set["members"][0].u64(), sub);
  EXPECT_EQ(set["members"][1].u64(), wi);
  EXPECT_EQ(set["waiting"].u64(), 1u);
  ASSERT_EQ(set["pendingEvents"].size(), 1u);
  EXPECT_EQ(set["pendingEvents"][0]["handle"].u64(), wi);
  EXPECT_EQ(set["pendingEvents"][0]["event"].text, "stream-write");

  // The stream: 1 element moved; the write is still in flight at 1 of 3.
  ASSERT_EQ(handles(ci["streams"]), (std::vector<uint64_t>{ri, wi}));
  const Json& r = ci["streams"][0];
  const Json& w = ci["streams"][1];
  EXPECT_EQ(r["end"].text, "readable");
  EXPECT_EQ(r["state"].text, "idle");
  EXPECT_TRUE(r["copy"].is_null());
  EXPECT_TRUE(r["pendingEvent"].is_null());
  EXPECT_EQ(r["elementsMoved"].u64(), 1u);
  EXPECT_EQ(w["end"].text, "writable");
  EXPECT_EQ(w["state"].text, "copying");
  EXPECT_EQ(w["copy"]["progress"].u64(), 1u);
  EXPECT_EQ(w["copy"]["length"].u64(), 3u);
  EXPECT_EQ(w["pendingEvent"].text, "stream-write");
  EXPECT_EQ(w["set"].u64(), seti);
  EXPECT_EQ(w["elementsMoved"].u64(), 1u);
  EXPECT_FALSE(w["otherEndDropped"].boolean);
  ASSERT_EQ(handles(ci["futures"]), (std::vector<uint64_t>{fri, fwi}));
  EXPECT_EQ(ci["futures"][0]["elementsMoved"].u64(), 0u);
  EXPECT_TRUE(snap["instances"][1]["streams"].array.empty());

  // Nothing was delivered by looking: the consumer still gets both events.
  producer_may_return = true;
  d.drain();
  EXPECT_EQ(events, (std::vector<EventCode>{EventCode::Subtask, EventCode::StreamWrite}));
  EXPECT_EQ(d.host_results.at(consumer_task), 7u);

  Json after = snapshot(d, instances);
  EXPECT_TRUE(after["tasks"].array.empty());
  EXPECT_TRUE(after["subtasks"].array.empty());
  EXPECT_TRUE(after["instances"][2]["waitableSets"].array.empty());
  EXPECT_TRUE(after["instances"][2]["streams"].array.empty());
}

// A call queued behind backpressure: an `initial` task whose implicit thread waits at the
// gate, and the instance's counters that keep it there.
TEST(AsyncSnapshot, ShowsACallWaitingAtTheBackpressureGate) {
  Driver d;
  ComponentInstance inst;
  inst.backpressure = 1;
  Func f{&inst, kStackful, [&] { return std::vector<Segment>{[&](uint32_t t, uint32_t) { return d.task_return(t); }}; }};
  uint32_t task = d.call(f);

  Json snap = snapshot(d, {&inst});
  EXPECT_EQ(snap["instances"][0]["backpressure"].u64(), 1u);
  EXPECT_EQ(snap["instances"][0]["waitingToEnter"].u64(), 1u);
  ASSERT_EQ(snap["tasks"].size(), 1u);
  EXPECT_EQ(snap["tasks"][0]["id"].u64(), task);
  EXPECT_EQ(snap["tasks"][0]["state"].text, "initial");
  ASSERT_EQ(snap["tasks"][0]["threads"].size(), 1u);
  EXPECT_EQ(snap["tasks"][0]["threads"][0]["waitingFor"]["kind"].text, "enter-gate");
  EXPECT_TRUE(snap["tasks"][0]["threads"][0]["cancellable"].boolean);

  inst.backpressure = 0;
  d.drain();
  EXPECT_TRUE(snapshot(d, {&inst})["tasks"].array.empty());
  EXPECT_EQ(d.host_resolutions.at(task), Task::Outcome::Returned);
}

// A task in an instance the caller did not list: "instance" is null rather than a guess.
TEST(AsyncSnapshot, NamesOnlyTheInstancesItIsGiven) {
  Driver d;
  ComponentInstance listed, unlisted;
  bool go = false;
  Func f{&unlisted, kStackful, [&] {
           return std::vector<Segment>{[&](uint32_t t, uint32_t) { return d.store.block_until(t, [&] { return go; }); },
                                       [&](uint32_t t, uint32_t) { return d.task_return(t); }};
         }};
  d.call(f);
  Json snap = snapshot(d, {&listed});
  ASSERT_EQ(snap["tasks"].size(), 1u);
  EXPECT_TRUE(snap["tasks"][0]["instance"].is_null());
  go = true;
  d.drain();
}

}  // namespace
}  // namespace cm::async
