// An allocator that keeps freed single objects for reuse. The async engine makes and frees
// a task, a thread and their hash-map entries on every call; in wasm each malloc/free pair
// costs a noticeable share of a call, and a short free list per object type serves nearly
// all of them. Arrays (a hash map's buckets) go straight to operator new.
//
// One free list per element type, shared by every allocator of that type: the engine runs
// on one thread (a browser or Node realm's), so there is no lock. At most kKept blocks are
// kept per type; the rest go back to the heap, so a burst of 100k tasks does not pin its
// memory afterwards.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace cm {

template <typename T>
class RecyclingAllocator {
 public:
  using value_type = T;
  static constexpr std::size_t kKept = 256;

  RecyclingAllocator() = default;
  template <typename U>
  RecyclingAllocator(const RecyclingAllocator<U>&) {}

  T* allocate(std::size_t n) {
    std::vector<void*>& kept = free_list();
    if (n == 1 && !kept.empty()) {
      void* p = kept.back();
      kept.pop_back();
      return static_cast<T*>(p);
    }
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }

  void deallocate(T* p, std::size_t n) {
    std::vector<void*>& kept = free_list();
    if (n == 1 && kept.size() < kKept) {
      if (kept.capacity() == 0) kept.reserve(kKept);
      kept.push_back(p);
      return;
    }
    ::operator delete(p);
  }

  template <typename U>
  bool operator==(const RecyclingAllocator<U>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const RecyclingAllocator<U>&) const {
    return false;
  }

 private:
  static std::vector<void*>& free_list() {
    static std::vector<void*> kept;
    return kept;
  }
};

}  // namespace cm
