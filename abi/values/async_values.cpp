// Placeholder until the async engine (issue 3) provides streams and futures: lifting or
// lowering one traps instead of misbehaving.
#include "values/async_values.h"

namespace cm {

StreamValue lift_stream(LiftLowerContext&, uint32_t, const ValType&) {
  trap("stream values are not supported yet");
}
FutureValue lift_future(LiftLowerContext&, uint32_t, const ValType&) {
  trap("future values are not supported yet");
}
uint32_t lower_stream(LiftLowerContext&, const StreamValue&, const ValType&) {
  trap("stream values are not supported yet");
}
uint32_t lower_future(LiftLowerContext&, const FutureValue&, const ValType&) {
  trap("future values are not supported yet");
}

}  // namespace cm
