// A snapshot of the async engine's live state as JSON, for debugging and for the demo page
// to draw (issue 3: "a way to look inside"). It only reads: no pending event is delivered,
// no readiness predicate is called, so taking a snapshot never changes what happens next.
//
// The document (every id is the engine's; `handle` is an index in that instance's table):
//   { "instances": [ { "id", "parent", "backpressure", "waitingToEnter", "lockedBy",
//                      "waitableSets": [ { "handle", "members", "waiting", "pendingEvents" } ],
//                      "streams": [ end ], "futures": [ end ] } ],
//     "tasks": [ { "id", "instance", "lift", "asyncType", "state", "outcome",
//                  "callerSubtask", "threads": [ { "id", "index", "implicit", "state",
//                                                  "cancellable", "waitingFor" } ] } ],
//     "subtasks": [ { "id", "state", "instance", "handle", "calleeTask", "pendingEvent" } ] }
// where an end is { "handle", "end" ("readable" | "writable"), "state", "elementsMoved",
// "otherEndDropped", "copy" (null or { "progress", "length" }), "pendingEvent", "set" }.
// Names of states and events are the spec's, in kebab case ("pending-cancel", "stream-read").
// README.md ("The API", instance.taskTree()) documents the fields for JS.
#pragma once

#include <string>
#include <vector>

#include "async/store.h"
#include "runtime/component_instance.h"
#include "util/json_writer.h"

namespace cm::async {

// Writes the snapshot of `store`, whose tasks run in `instances` (numbered by their position
// there; a task in an instance not listed gets "instance": null).
void write_snapshot(JsonWriter& w, const AsyncStore& store, const std::vector<const ComponentInstance*>& instances);

std::string snapshot_json(const AsyncStore& store, const std::vector<const ComponentInstance*>& instances);

}  // namespace cm::async
