#include "runtime/component_instance.h"

#include <algorithm>
#include <cassert>

namespace cm {

std::vector<ComponentInstance*> ComponentInstance::entering_set(const ComponentInstance* caller) {
  std::vector<const ComponentInstance*> caller_chain;
  for (const ComponentInstance* c = caller; c; c = c->parent) caller_chain.push_back(c);
  std::vector<ComponentInstance*> set;
  for (ComponentInstance* i = this; i; i = i->parent) {
    if (std::find(caller_chain.begin(), caller_chain.end(), i) == caller_chain.end()) {
      set.push_back(i);
    }
  }
  return set;
}

bool ComponentInstance::may_enter_from(const ComponentInstance* caller) const {
  for (ComponentInstance* i : const_cast<ComponentInstance*>(this)->entering_set(caller)) {
    if (!i->may_enter) return false;
  }
  return true;
}

void ComponentInstance::enter_from(const ComponentInstance* caller) {
  for (ComponentInstance* i : entering_set(caller)) {
    assert(i->may_enter);
    i->may_enter = false;
  }
}

void ComponentInstance::leave_to(const ComponentInstance* caller) {
  for (ComponentInstance* i : entering_set(caller)) {
    assert(!i->may_enter);
    i->may_enter = true;
  }
}

}  // namespace cm
