// HostEnds (abi/async/host_ends.h): the stream and future ends the host holds by id.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "async/host_ends.h"
#include "copy_driver.h"

namespace cm::async {
namespace {

using testing::cancelled;
using testing::completed;
using testing::dropped;

const TypeRef U8 = types::primitive(TypeKind::U8);

struct HostEndsTest : ::testing::Test {
  HostEnds ends;
  testing::CopyDriver js;
  std::vector<uint8_t> written = {1, 2, 3, 4};
  std::vector<uint8_t> read = std::vector<uint8_t>(8);
};

TEST_F(HostEndsTest, AStreamTheHostProducesCarriesItsBytesBetweenItsEnds) {
  auto [writable, readable] = ends.new_pair(U8, false);
  EXPECT_NE(writable, readable);
  EXPECT_EQ(ends.size(), 2u);
  js.host_chunks[writable] = &written;
  js.host_chunks[readable] = &read;
  EXPECT_EQ(js(ends.copy(writable, 4)), BLOCKED);  // nobody reads yet
  EXPECT_EQ(ends.next_settled(), 0u);
  EXPECT_EQ(js(ends.copy(readable, 8)), completed(4));
  EXPECT_EQ(std::vector<uint8_t>(read.begin(), read.begin() + 4), written);
  // The writer's op got its event: the host hears of it (an op that finished at once may
  // be named too; its poll finds no event), and reads the payload once.
  std::set<uint32_t> settled;
  for (uint32_t id = ends.next_settled(); id != 0; id = ends.next_settled()) settled.insert(id);
  EXPECT_EQ(settled.count(writable), 1u);
  EXPECT_EQ(ends.poll(readable), std::nullopt);
  EXPECT_EQ(ends.poll(writable), completed(4));
  EXPECT_EQ(ends.poll(writable), std::nullopt);
}

TEST_F(HostEndsTest, CancellingAnOpInFlightGivesItsPayloadAtOnce) {
  auto [writable, readable] = ends.new_pair(U8, false);
  js.host_chunks[readable] = &read;
  EXPECT_EQ(js(ends.copy(readable, 8)), BLOCKED);
  EXPECT_EQ(ends.cancel(readable), cancelled(0));
  EXPECT_NE(testing::trap_message([&] { ends.cancel(readable); }), "");  // nothing in flight now
}

TEST_F(HostEndsTest, DroppingOneEndIsWhatTheOtherSees) {
  auto [writable, readable] = ends.new_pair(U8, false);
  js.host_chunks[readable] = &read;
  ends.drop(writable);
  EXPECT_EQ(ends.size(), 1u);
  EXPECT_EQ(js(ends.copy(readable, 8)), dropped(0));
  EXPECT_NE(testing::trap_message([&] { ends.get(writable); }), "");
}

TEST_F(HostEndsTest, AReleasedEndIsNoLongerHeldAndNotDropped) {
  auto [writable, readable] = ends.new_pair(U8, false);
  std::shared_ptr<CopyEnd> r = ends.release(readable);
  EXPECT_EQ(ends.size(), 1u);
  js.host_chunks[writable] = &written;
  // The readable end lives on (a guest's table holds it now): a write still waits for it.
  EXPECT_EQ(js(ends.copy(writable, 4)), BLOCKED);
}

TEST_F(HostEndsTest, AFuturesValueMovesOnce) {
  auto [writable, readable] = ends.new_pair(U8, true);
  std::vector<uint8_t> value = {42};
  std::vector<uint8_t> got = {0};
  js.host_chunks[writable] = &value;
  js.host_chunks[readable] = &got;
  EXPECT_EQ(js(ends.copy(readable, 1)), BLOCKED);
  EXPECT_EQ(js(ends.copy(writable, 1)), completed(0));
  EXPECT_EQ(got[0], 42);
  EXPECT_EQ(ends.poll(readable), completed(0));
}

}  // namespace
}  // namespace cm::async
