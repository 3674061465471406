// Carrying out a CopyInstruction whose elements are not plain bytes (own handles, strings,
// nested stream/future ends...): the spec's ReadableBufferGuestImpl.read (lift from the
// writer, load_list_from_valid_range) followed by WritableBufferGuestImpl.write (lower into
// the reader, store_list_into_valid_range), with the engine's own load/store. Moving a
// handle touches both instances' handle tables, which only the engine holds, so JS routes
// such copies here instead of copying bytes. Guest-to-guest only: a host site's values are
// JS's to convert.
#pragma once

#include "async/buffer.h"
#include "values/context.h"

namespace cm::async {

// `src` is a context on the writer's instance and memory, `dst` on the reader's (with its
// realloc, for strings and lists). Element types never contain borrows.
void copy_values(const CopyInstruction& c, LiftLowerContext& src, LiftLowerContext& dst);

}  // namespace cm::async
