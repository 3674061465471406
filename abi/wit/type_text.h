// A value type as anonymous WIT text, for messages: `list<u8>`, `option<string>`,
// `record { x: s32, y: s32 }`, `own<resource>`. Names of types are not known here.
#pragma once

#include <string>

#include "types/value_type.h"

namespace cm::wit {

std::string type_text(const TypeRef& t);

}  // namespace cm::wit
