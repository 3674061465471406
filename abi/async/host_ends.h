// The stream and future ends the host holds outside any guest's table, by id: a readable
// end lifted out of a guest (to read it, or to lower it into another guest), and both ends
// of a stream or future the host produces. The host reads and writes through them
// (host_stream_copy / host_future_copy), hears which of its ops got their event
// (next_settled), cancels and drops them.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "async/canon_streams.h"
#include "async/copy_end.h"
#include "types/value_type.h"

namespace cm::async {

class HostEnds {
 public:
  // Holds `end`; returns its id (never 0).
  uint32_t hold(std::shared_ptr<CopyEnd> end);
  // The end held as `id`; traps for an id the host does not hold.
  std::shared_ptr<CopyEnd> get(uint32_t id) const;
  // Gives up end `id` without dropping it (it moves into a guest's table).
  std::shared_ptr<CopyEnd> release(uint32_t id);

  // A stream or future of element type `t` that the host produces: the ids of its
  // writable and of its readable end.
  std::pair<uint32_t, uint32_t> new_pair(const TypeRef& t, bool future);

  // The host reads or writes n elements through end `id` (a future: n is 1); the host's
  // chunk is named by `id` in the copies. When the op does not finish at once, its event,
  // when it comes, is queued for next_settled.
  CopyOutcome copy(uint32_t id, uint32_t n);
  // An end whose host op got its event since the last call, or 0 for none.
  uint32_t next_settled();
  // The event payload of the host's op on end `id`, if it has one.
  std::optional<uint32_t> poll(uint32_t id);
  // Cancels the host's op in flight on end `id`; returns its payload (a host op is always
  // async, and cancelling the pending op gives the event at once).
  uint32_t cancel(uint32_t id);
  // The host lets go of end `id` (its op, if any, cancelled first): the other end sees
  // DROPPED.
  void drop(uint32_t id);

  size_t size() const { return held_.size(); }

 private:
  std::map<uint32_t, std::shared_ptr<CopyEnd>> held_;
  std::deque<uint32_t> settled_;
  uint32_t next_id_ = 1;
};

}  // namespace cm::async
