// A participant in a stream or future copy, as data (CanonicalABI.md "Buffer State";
// definitions.py Buffer, BufferGuestImpl, ReadableBufferGuestImpl, WritableBufferGuestImpl).
//
// The spec's buffers load and store values themselves. Ours only describe where elements
// are (a guest's memory range, or a host end's chunk) and how far the copy has come: a
// rendezvous turns two buffers into CopyInstructions that JS carries out (the design's
// "the engine decides, JS acts"). A guest memory is named by an opaque id that JS maps to
// its WebAssembly.Memory; a host participant (a JS ReadableStream/WritableStream, a
// Promise behind a future) by a host id, with elements counted from the start of its chunk.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/component_instance.h"
#include "types/value_type.h"

namespace cm::async {

// Where one step of a copy reads or writes.
struct CopySite {
  // The instance whose memory (and, for handles, whose table) is touched; null: the host.
  ComponentInstance* inst = nullptr;
  // Guest: the memory id JS gave the copy built-in. Host: the host end's id.
  uint32_t memory_id = 0;
  // Guest: a byte address. Host: an element index into the host's chunk.
  uint32_t ptr = 0;
  bool is_host() const { return inst == nullptr; }
};

// "Copy n elements of type t from src to dst": lift from src's instance, lower into dst's.
// For none-or-number element types this is one byte copy of n * elem_size(t) bytes; within
// one memory the ranges may overlap, and the copy behaves as "read all, then write" (memmove,
// TypedArray.copyWithin / set of a subarray).
struct CopyInstruction {
  CopySite src;
  CopySite dst;
  uint32_t n = 0;
  TypeRef t;
};

class CopyBuffer {
 public:
  static constexpr uint32_t MAX_LENGTH = (uint32_t{1} << 28) - 1;

  // BufferGuestImpl's constructor: the checks are the spec's (length limit, and for a typed,
  // non-empty buffer: alignment and bounds against the memory size JS reports now).
  static CopyBuffer guest(ComponentInstance& inst, uint32_t memory_id, uint64_t memory_size,
                          TypeRef t, uint32_t ptr, uint32_t length);
  // A host end's chunk of `length` elements (a BYOB view, an array of values, one future
  // value).
  static CopyBuffer host(uint32_t host_id, TypeRef t, uint32_t length);

  uint32_t remain() const { return length - progress; }
  bool is_zero_length() const { return length == 0; }
  // Where the next element goes or comes from.
  CopySite site() const { return CopySite{inst, memory_id, ptr}; }
  // n elements were copied through this buffer (the pointer bump of read()/write()).
  void advance(uint32_t n);

  ComponentInstance* inst = nullptr;
  uint32_t memory_id = 0;
  TypeRef t;  // null: stream/future without an element type; only counts matter
  uint32_t ptr = 0;
  uint32_t length = 0;
  uint32_t progress = 0;
  uint32_t elem_size = 0;  // elem_size(t) for a guest buffer, 1 for a host chunk, 0 untyped
};

// Moves n elements from src to dst: records the instruction (nothing to copy for an untyped
// stream) and advances both buffers.
void copy_elements(CopyBuffer& src, CopyBuffer& dst, uint32_t n, std::vector<CopyInstruction>& out);

// The spec's none_or_number_type: element types that may be copied within one instance.
bool none_or_number_type(const TypeRef& t);

// Structural equality of element types (the spec's `e.shared.t != stream_t.t`). Resource
// types compare by kind only: a ResourceTypeId is per component, and validation has already
// matched the types of ends that cross components.
bool same_element_type(const TypeRef& a, const TypeRef& b);

}  // namespace cm::async
