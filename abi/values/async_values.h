// Lifting and lowering of stream<T> and future<T> values (CanonicalABI.md lift_stream,
// lift_future, lower_stream, lower_future): moving the readable end of a stream or future
// between handle tables. The shared objects are SharedStream (async/stream.h) and
// SharedFuture (async/future.h).
#pragma once

#include <cstdint>

#include "types/value_type.h"
#include "values/context.h"
#include "values/value.h"

namespace cm {

// `t` is the stream/future type itself (its element type is t.element).
StreamValue lift_stream(LiftLowerContext& cx, uint32_t i, const ValType& t);
FutureValue lift_future(LiftLowerContext& cx, uint32_t i, const ValType& t);
uint32_t lower_stream(LiftLowerContext& cx, const StreamValue& v, const ValType& t);
uint32_t lower_future(LiftLowerContext& cx, const FutureValue& v, const ValType& t);

}  // namespace cm
