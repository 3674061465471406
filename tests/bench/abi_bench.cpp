// Google Benchmark figures for the engine's value layer: string transcoding between the
// canonical encodings (MB/s of source bytes), list<u8> and record lift/lower. Native
// build only (build/native/abi_bench); `npm run bench` runs it after the JS tables.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "runtime/component_instance.h"
#include "types/value_type.h"
#include "values/context.h"
#include "values/lift.h"
#include "values/lower.h"
#include "values/memory.h"
#include "values/strings.h"

namespace {

using namespace cm;

// A memory with a bump allocator that resets every iteration.
struct Heap {
  VectorMemory memory{1 << 24};
  uint32_t next = 1024;
  Realloc realloc = [this](uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size) -> uint32_t {
    uint32_t p = (next + align - 1) & ~(align - 1);
    next = p + new_size;
    if (old_size) memory.write(p, memory.bytes.data() + old_ptr, old_size < new_size ? old_size : new_size);
    return p;
  };
};

std::string sample_text(int kind, size_t bytes) {
  // 0: ASCII, 1: Latin-1 range (é), 2: BMP (☃), 3: mixed with astral (😀)
  const char* unit[] = {"a", "\xC3\xA9", "\xE2\x98\x83", "ab\xF0\x9F\x98\x80"};
  std::string out;
  while (out.size() < bytes) out += unit[kind];
  return out;
}

void BM_TranscodeString(benchmark::State& state) {
  const auto dst = static_cast<StringEncoding>(state.range(0));
  const int text_kind = static_cast<int>(state.range(1));
  const StringValue src = StringValue::from_utf8(sample_text(text_kind, 64 * 1024));
  Heap heap;
  ComponentInstance inst;
  LiftLowerOptions opts{.string_encoding = dst, .memory = &heap.memory, .realloc = heap.realloc};
  for (auto _ : state) {
    heap.next = 1024;
    LiftLowerContext cx(opts, inst);
    StringRange r = store_string_into_range(cx, src);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(src.bytes.size()));
  static const char* enc[] = {"utf8", "utf16", "latin1+utf16"};
  static const char* text[] = {"ascii", "latin1", "bmp", "astral"};
  state.SetLabel(std::string("utf8 ") + text[text_kind] + " -> " + enc[state.range(0)]);
}
BENCHMARK(BM_TranscodeString)->ArgsProduct({{0, 1, 2}, {0, 1, 2, 3}});

void BM_LiftString(benchmark::State& state) {
  Heap heap;
  ComponentInstance inst;
  const std::string text = sample_text(static_cast<int>(state.range(0)), 64 * 1024);
  heap.memory.write(1024, text.data(), static_cast<uint32_t>(text.size()));
  LiftLowerOptions opts{.string_encoding = StringEncoding::Utf8, .memory = &heap.memory, .realloc = heap.realloc};
  for (auto _ : state) {
    LiftLowerContext cx(opts, inst);
    StringValue v = load_string_from_range(cx, 1024, static_cast<uint32_t>(text.size()));
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
  state.SetLabel("lift utf8 (validate + copy), 64 KiB");
}
BENCHMARK(BM_LiftString)->Arg(0)->Arg(3);

void BM_ListU8RoundTrip(benchmark::State& state) {
  Heap heap;
  ComponentInstance inst;
  const TypeRef t = types::list(types::primitive(TypeKind::U8));
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  std::vector<uint8_t> data(n, 7);
  heap.memory.write(1024, data.data(), n);
  LiftLowerOptions opts{.memory = &heap.memory, .realloc = heap.realloc};
  for (auto _ : state) {
    heap.next = 1024 + n;
    LiftLowerContext cx(opts, inst);
    std::vector<CoreValue> flat{CoreValue::i32(1024), CoreValue::i32(n)};
    CoreValueIter it(flat);
    Value v = lift_flat(cx, it, *t);
    std::vector<CoreValue> out = lower_flat(cx, v, *t);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * n * 2);
  state.SetLabel("lift + lower list<u8> (Value per element)");
}
BENCHMARK(BM_ListU8RoundTrip)->Arg(64 * 1024);

void BM_RecordRoundTrip(benchmark::State& state) {
  Heap heap;
  ComponentInstance inst;
  const TypeRef t = types::record({{"a", types::primitive(TypeKind::U8)},
                                   {"b", types::primitive(TypeKind::U64)},
                                   {"c", types::primitive(TypeKind::F32)},
                                   {"d", types::option(types::primitive(TypeKind::U32))}});
  LiftLowerOptions opts{.memory = &heap.memory, .realloc = heap.realloc};
  for (auto _ : state) {
    LiftLowerContext cx(opts, inst);
    Value v = load(cx, 1024, *t);
    store(cx, v, *t, 2048);
    benchmark::DoNotOptimize(v);
  }
  state.SetLabel("load + store record{u8, u64, f32, option<u32>}");
}
BENCHMARK(BM_RecordRoundTrip);

}  // namespace
