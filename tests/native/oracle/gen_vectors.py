#!/usr/bin/env python3
"""Test vectors for the value-level Canonical ABI, computed by the spec's own reference.

Runs the Component Model's Python reference (design/mvp/canonical-abi/definitions.py of
the public repository WebAssembly/component-model, imported from the directory given on
the command line; nothing of it is copied here) on many types, values and strings, and
records what it does: the flat values, the memory bytes written, and every realloc call.
tests/native/vectors_test.cpp replays each case through our engine and requires the same
outcome byte for byte.

Regenerate (from the repository root; Python >= 3.10):

    # <spec>: a checkout of the public repository WebAssembly/component-model
    # (or a directory holding just its design/mvp/canonical-abi/definitions.py)
    python3 tests/native/oracle/gen_vectors.py <spec>/design/mvp/canonical-abi \
        --out tests/native/vectors

The output is deterministic for a given definitions.py and --seed (default 1). The vectors
in the repository were generated from component-model commit 6d28164 (2026-08-21).

Vector format (JSON), one object per case:
  types      the value types, a tuple of parameters/results (grammar: "u8", "string", ...,
             {"list": T}, {"list": T, "len": N}, {"record": [T...]}, {"tuple": [T...]},
             {"variant": [T|null...]}, {"enum": N}, {"option": T},
             {"result": [T|null, T|null]}, {"flags": N})
  src        the lifting side: [string encoding, memory size, memory contents as
             [offset, hex] runs over a zero fill, max_flat, the core values as
             [[type, decimal bits]...]]
  lift       the lifted values in a canonical text form (see canon_value), or "trap"
  dst        the lowering side: [string encoding, memory size (filled with 0xAA), heap
             start, realloc policy, max_flat, the out-param pointer or null]
  lower      "trap", or {flat, realloc: [[old_ptr, old_size, align, new_size, result]...],
             size: final memory size, memory: [offset, hex] runs that differ from the
             initial memory (0xAA, and 0x00 where the memory grew)}

Realloc policies (mirrored by tests/native/test_heap.h): bump (fresh block after the last,
old contents copied), nocopy (fresh block filled with 0xEE, nothing copied), inplace
(shrinking returns the old pointer), misaligned (bump, one byte off), oob (0xFFFFFFF0),
grow (bump, growing the memory in 64-byte steps when needed).
"""

import argparse
import json
import os
import random
import struct
import sys

d = None  # the imported definitions module

ENCODINGS = ['utf8', 'utf16', 'latin1+utf16']
PRIMS = ['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string']


# --- Types -----------------------------------------------------------------------------

def to_spec_type(t):
  if isinstance(t, str):
    return {
      'bool': d.BoolType, 's8': d.S8Type, 'u8': d.U8Type, 's16': d.S16Type, 'u16': d.U16Type,
      's32': d.S32Type, 'u32': d.U32Type, 's64': d.S64Type, 'u64': d.U64Type,
      'f32': d.F32Type, 'f64': d.F64Type, 'char': d.CharType, 'string': d.StringType,
    }[t]()
  if 'list' in t:
    return d.ListType(to_spec_type(t['list']), t.get('len'))
  if 'record' in t:
    return d.RecordType([d.FieldType('f%d' % i, to_spec_type(u)) for i, u in enumerate(t['record'])])
  if 'tuple' in t:
    return d.TupleType([to_spec_type(u) for u in t['tuple']])
  if 'variant' in t:
    return d.VariantType([d.CaseType('c%d' % i, None if u is None else to_spec_type(u))
                          for i, u in enumerate(t['variant'])])
  if 'enum' in t:
    return d.EnumType(['e%d' % i for i in range(t['enum'])])
  if 'option' in t:
    return d.OptionType(to_spec_type(t['option']))
  if 'result' in t:
    ok, err = t['result']
    return d.ResultType(None if ok is None else to_spec_type(ok), None if err is None else to_spec_type(err))
  if 'flags' in t:
    return d.FlagsType(['l%d' % i for i in range(t['flags'])])
  raise ValueError(t)


def case_labels(t):
  """The labels of a variant-like type's cases, in order."""
  if 'variant' in t: return ['c%d' % i for i in range(len(t['variant']))]
  if 'enum' in t: return ['e%d' % i for i in range(t['enum'])]
  if 'option' in t: return ['none', 'some']
  if 'result' in t: return ['ok', 'error']
  raise ValueError(t)


def case_payloads(t):
  if 'variant' in t: return t['variant']
  if 'enum' in t: return [None] * t['enum']
  if 'option' in t: return [None, t['option']]
  if 'result' in t: return t['result']
  raise ValueError(t)


def random_type(rng, depth=0, strings=True):
  prims = PRIMS if strings else PRIMS[:-1]
  if depth >= 3 or rng.random() < 0.45:
    return rng.choice(prims)
  k = rng.choice(['list', 'fixed', 'record', 'tuple', 'variant', 'enum', 'option', 'result', 'flags'])
  sub = lambda: random_type(rng, depth + 1, strings)
  if k == 'list': return {'list': sub()}
  if k == 'fixed': return {'list': sub(), 'len': rng.randint(1, 3)}
  if k == 'record': return {'record': [sub() for _ in range(rng.randint(1, 4))]}
  if k == 'tuple': return {'tuple': [sub() for _ in range(rng.randint(1, 3))]}
  if k == 'variant':
    return {'variant': [sub() if rng.random() < 0.7 else None for _ in range(rng.randint(1, 4))]}
  if k == 'enum': return {'enum': rng.randint(1, 5)}
  if k == 'option': return {'option': sub()}
  if k == 'result':
    return {'result': [sub() if rng.random() < 0.7 else None, sub() if rng.random() < 0.7 else None]}
  return {'flags': rng.choice([1, 2, 7, 8, 9, 16, 17, 31, 32])}


# --- Values ----------------------------------------------------------------------------

INT_RANGES = {'s8': (-128, 127), 'u8': (0, 255), 's16': (-32768, 32767), 'u16': (0, 65535),
              's32': (-2**31, 2**31 - 1), 'u32': (0, 2**32 - 1), 's64': (-2**63, 2**63 - 1),
              'u64': (0, 2**64 - 1)}
F32_BITS = [0, 0x80000000, 0x3fc00000, 0x7f800000, 0xff800000, 0x7fc00000, 0x00000001,
            0x7f7fffff, 0x40490fdb, 0xc2f60000]
F64_BITS = [0, 0x8000000000000000, 0x3ff8000000000000, 0x7ff0000000000000, 0x7ff8000000000000,
            0x0000000000000001, 0x7fefffffffffffff, 0x400921fb54442d18]
CHARS = [0, 0x41, 0x7f, 0x80, 0xe9, 0xff, 0x100, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff,
         0x10000, 0x1f600, 0x10ffff]


def f32_from_bits(b): return struct.unpack('<f', struct.pack('<I', b))[0]
def f64_from_bits(b): return struct.unpack('<d', struct.pack('<Q', b))[0]
def f32_bits(f): return struct.unpack('<I', struct.pack('<f', f))[0]
def f64_bits(f): return struct.unpack('<Q', struct.pack('<d', f))[0]


def host_string(s):
  return (s, 'utf8', len(s.encode('utf-8')))


def random_string(rng):
  k = rng.random()
  if k < 0.4:
    return rng.choice(TRICKY_STRINGS[:24])
  n = rng.randint(0, 6)
  return ''.join(chr(rng.choice(CHARS[1:])) for _ in range(n))


def random_value(rng, t):
  if isinstance(t, str):
    if t == 'bool': return rng.random() < 0.5
    if t in INT_RANGES:
      lo, hi = INT_RANGES[t]
      return rng.choice([lo, hi, 0, 1, -1 if lo < 0 else 2, rng.randint(lo, hi)])
    if t == 'f32': return f32_from_bits(rng.choice(F32_BITS))
    if t == 'f64': return f64_from_bits(rng.choice(F64_BITS))
    if t == 'char': return chr(rng.choice(CHARS))
    if t == 'string': return host_string(random_string(rng))
  if 'list' in t:
    n = t['len'] if 'len' in t else rng.randint(0, 4)
    return [random_value(rng, t['list']) for _ in range(n)]
  if 'record' in t:
    return {'f%d' % i: random_value(rng, u) for i, u in enumerate(t['record'])}
  if 'tuple' in t:
    return {str(i): random_value(rng, u) for i, u in enumerate(t['tuple'])}
  if 'flags' in t:
    return {'l%d' % i: rng.random() < 0.5 for i in range(t['flags'])}
  labels, payloads = case_labels(t), case_payloads(t)
  i = rng.randrange(len(labels))
  return {labels[i]: None if payloads[i] is None else random_value(rng, payloads[i])}


def canon_value(t, v):
  """The canonical text of a lifted value; vectors_test.cpp prints our Values the same way."""
  if isinstance(t, str):
    if t == 'bool': return 'true' if v else 'false'
    if t in INT_RANGES: return str(v)
    if t == 'f32': return 'f32:%08x' % f32_bits(v)
    if t == 'f64': return 'f64:%016x' % f64_bits(v)
    if t == 'char': return 'c:%x' % ord(v)
    if t == 'string':
      s, enc, units = v
      return 's:%s:%s:%d' % (s.encode('utf-8').hex(), enc, units)
  if 'list' in t:
    return '[' + ','.join(canon_value(t['list'], e) for e in v) + ']'
  if 'record' in t:
    return '{' + ','.join(canon_value(u, v['f%d' % i]) for i, u in enumerate(t['record'])) + '}'
  if 'tuple' in t:
    return '{' + ','.join(canon_value(u, v[str(i)]) for i, u in enumerate(t['tuple'])) + '}'
  if 'flags' in t:
    bits = 0
    for i in range(t['flags']):
      if v['l%d' % i]: bits |= 1 << i
    return 'flags:%x' % bits
  labels, payloads = case_labels(t), case_payloads(t)
  [label] = v.keys()
  i = labels.index(label)
  if payloads[i] is None:
    return '<%d>' % i
  return '<%d:%s>' % (i, canon_value(payloads[i], v[label]))


# --- Memories and realloc ----------------------------------------------------------------

def align_to(p, a):
  return (p + a - 1) // a * a


class Heap:
  """A linear memory with a scripted realloc; see the policies in the module docstring."""

  def __init__(self, size, fill, start, policy):
    self.mem = bytearray([fill]) * size
    self.next = start
    self.policy = policy
    self.log = []

  def realloc(self, args):
    old_ptr, old_size, alignment, new_size = args
    r = self.allocate(old_ptr, old_size, alignment, new_size)
    self.log.append([old_ptr, old_size, alignment, new_size, r])
    return [r]

  def copy(self, frm, to, n):
    size = len(self.mem)
    if frm >= size or to >= size:
      return
    n = min(n, size - frm, size - to)
    self.mem[to:to + n] = self.mem[frm:frm + n]

  def bump(self, alignment, new_size):
    r = align_to(self.next, alignment)
    self.next = r + new_size
    return r

  def allocate(self, old_ptr, old_size, alignment, new_size):
    p = self.policy
    if p == 'oob':
      return 0xFFFFFFF0
    if p == 'misaligned':
      return self.bump(alignment, new_size + 1) + 1
    if p == 'inplace' and old_ptr != 0 and new_size <= old_size:
      return old_ptr
    if p in ('bump', 'inplace'):
      r = self.bump(alignment, new_size)
      if old_ptr != 0:
        self.copy(old_ptr, r, min(old_size, new_size))
      return r
    if p == 'nocopy':
      r = self.bump(alignment, new_size)
      for i in range(r, min(r + new_size, len(self.mem))):
        self.mem[i] = 0xEE
      return r
    if p == 'grow':
      r = self.bump(alignment, new_size)
      if r + new_size > len(self.mem):
        self.mem.extend(bytes(align_to(r + new_size, 64) - len(self.mem)))
      if old_ptr != 0:
        self.copy(old_ptr, r, min(old_size, new_size))
      return r
    raise ValueError(p)


def make_cx(mem, encoding, realloc=None):
  opts = d.CanonicalOptions()
  opts.memory = d.MemInst(mem, 'i32')
  opts.string_encoding = encoding
  opts.realloc = realloc
  opts.post_return = None
  opts.async_ = False
  opts.callback = None
  return d.LiftLowerContext(opts, d.ComponentInstance(d.Store()))


def runs(mem, base_fill, base_size):
  """[offset, hex] runs where `mem` differs from its initial contents."""
  out = []
  i = 0
  n = len(mem)
  while i < n:
    initial = base_fill if i < base_size else 0
    if mem[i] == initial:
      i += 1
      continue
    j = i
    while j < n and mem[j] != (base_fill if j < base_size else 0):
      j += 1
    out.append([i, bytes(mem[i:j]).hex()])
    i = j
  return out


def flat_json(ts, vals):
  out = []
  for t, v in zip(ts, vals):
    if t == 'f32': bits = f32_bits(float(v))
    elif t == 'f64': bits = f64_bits(float(v))
    else: bits = v
    out.append([t, str(bits)])
  return out


def flat_from_json(flat):
  vals = []
  for t, bits in flat:
    bits = int(bits)
    if t == 'f32': vals.append(f32_from_bits(bits))
    elif t == 'f64': vals.append(f64_from_bits(bits))
    else: vals.append(bits)
  return vals


def is_trap(e):
  return isinstance(e, d.Trap)


# --- One case ------------------------------------------------------------------------------

class Skipped(Exception):
  pass


def run_case(types, src_encoding, src_mem, flat, src_max_flat, dst):
  """Lifts (flat, src_mem) and lowers the result as `dst` says; returns the case record."""
  spec_ts = [to_spec_type(t) for t in types]
  case = {
    'types': types,
    'src': [src_encoding, len(src_mem), runs(src_mem, 0, len(src_mem)), src_max_flat, flat],
    'dst': [dst['encoding'], dst['size'], dst['heap_start'], dst['policy'], dst['max_flat'],
            dst['out_param']],
  }
  cx = make_cx(bytearray(src_mem), src_encoding)
  try:
    vi = d.CoreValueIter(flat_from_json(flat))
    lifted = d.lift_flat_values(cx, src_max_flat, vi, spec_ts)
  except BaseException as e:
    if not is_trap(e):
      raise Skipped('lift: %r' % e)
    case['lift'] = 'trap'
    return case
  case['lift'] = [canon_value(t, v) for t, v in zip(types, lifted)]

  heap = Heap(dst['size'], 0xAA, dst['heap_start'], dst['policy'])
  dcx = make_cx(heap.mem, dst['encoding'], heap.realloc)
  out_param = None if dst['out_param'] is None else d.CoreValueIter([dst['out_param']])
  try:
    lowered = d.lower_flat_values(dcx, dst['max_flat'], lifted, spec_ts, out_param)
  except BaseException as e:
    if not is_trap(e):
      raise Skipped('lower: %r' % e)
    case['lower'] = {'trap': True, 'realloc': heap.log}
    return case
  flat_types = d.flatten_types(spec_ts, dcx.opts)
  if len(flat_types) > dst['max_flat']:
    flat_types = [] if out_param is not None else ['i32']
  case['lower'] = {
    'flat': flat_json(flat_types, lowered),
    'realloc': heap.log,
    'size': len(heap.mem),
    'memory': runs(heap.mem, 0xAA, dst['size']),
  }
  return case


def spec_tuple_layout(types):
  tt = d.TupleType([to_spec_type(t) for t in types])
  return d.alignment(tt, 'i32'), d.elem_size(tt, 'i32')


def make_dst(rng, types, encoding=None, policy=None, max_flat=None, size=None):
  max_flat = max_flat if max_flat is not None else rng.choice([16, 16, 1, 4, 1 << 20])
  tuple_size = spec_tuple_layout(types)[1]
  spec_ts = [to_spec_type(t) for t in types]
  nflat = len(d.flatten_types(spec_ts, make_cx(bytearray(), 'utf8').opts))
  out_param = None
  heap_start = 16
  if nflat > max_flat and rng.random() < 0.5:
    out_param = 8
    heap_start = align_to(8 + tuple_size, 8) + 8
  return {
    'encoding': encoding or rng.choice(ENCODINGS),
    'size': size or 2048,
    'heap_start': heap_start,
    'policy': policy or rng.choice(['bump', 'bump', 'bump', 'nocopy', 'inplace']),
    'max_flat': max_flat,
    'out_param': out_param,
  }


# --- Families ----------------------------------------------------------------------------

def roundtrip_cases(rng, n):
  """Random well-formed values: lowered into a source memory by the reference, then lifted
  and lowered again (the lift/lower the replay checks)."""
  cases = []
  while len(cases) < n:
    k = rng.choice([1, 1, 2, 3, 5]) if rng.random() < 0.85 else rng.randint(9, 20)
    types = [random_type(rng) for _ in range(k)]
    if spec_tuple_layout(types)[1] > 400:
      continue
    values = [random_value(rng, t) for t in types]
    src_encoding = rng.choice(ENCODINGS)
    src_max_flat = rng.choice([16, 1, 4, 1 << 20])
    src_heap = Heap(4096, 0, 8, 'bump')
    scx = make_cx(src_heap.mem, src_encoding, src_heap.realloc)
    spec_ts = [to_spec_type(t) for t in types]
    try:
      flat_vals = d.lower_flat_values(scx, src_max_flat, values, spec_ts)
    except BaseException as e:
      if is_trap(e):
        continue
      raise
    flat_types = d.flatten_types(spec_ts, scx.opts)
    if len(flat_types) > src_max_flat:
      flat_types = ['i32']
    used = src_heap.next + rng.choice([0, 0, 3, 16])
    src_mem = bytes(src_heap.mem[:used])
    try:
      cases.append(run_case(types, src_encoding, src_mem, flat_json(flat_types, flat_vals),
                            src_max_flat, make_dst(rng, types)))
    except Skipped as e:
      print('skipped:', e, file=sys.stderr)
  return cases


def random_core(rng, t, mem_size):
  if t == 'i32':
    return rng.choice([0, 1, 2, 3, 4, 8, rng.randrange(mem_size), rng.randrange(mem_size),
                       rng.randrange(2**32), 0x80000000, 0xFFFFFFFF, 0xD800, 0x110000, 256, 257])
  if t == 'i64':
    return rng.choice([0, 1, rng.randrange(2**64), 2**64 - 1, 0x100000005, 0xFFFFFFFF3FC00000])
  if t == 'f32':
    return f32_from_bits(rng.choice(F32_BITS + [0x7fa00001, 0xffc00001, rng.randrange(2**32)]))
  return f64_from_bits(rng.choice(F64_BITS + [0x7ff0000000000001, rng.randrange(2**64)]))


def fuzz_cases(rng, n):
  """Random core values and random memory: the lift may trap anywhere (discriminants,
  chars, pointers, lengths, encodings), and what it accepts is lowered again."""
  cases = []
  while len(cases) < n:
    k = rng.choice([1, 1, 2, 3])
    types = [random_type(rng) for _ in range(k)]
    if spec_tuple_layout(types)[1] > 256:
      continue
    src_encoding = rng.choice(ENCODINGS)
    src_max_flat = rng.choice([16, 16, 1, 1 << 20])
    size = rng.choice([32, 64, 96])
    mem = bytearray(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(256), 0, 1, 2])
                    for _ in range(size))
    spec_ts = [to_spec_type(t) for t in types]
    flat_types = d.flatten_types(spec_ts, make_cx(bytearray(), 'utf8').opts)
    if len(flat_types) > src_max_flat:
      flat_types = ['i32']
    flat_vals = [random_core(rng, ft, size) for ft in flat_types]
    # Small lengths make lists and strings that are sometimes in bounds.
    for i, ft in enumerate(flat_types):
      if ft == 'i32' and flat_vals[i] > size and rng.random() < 0.5:
        flat_vals[i] = rng.randrange(0, 8)
    try:
      cases.append(run_case(types, src_encoding, bytes(mem), flat_json(flat_types, flat_vals),
                            src_max_flat, make_dst(rng, types)))
    except Skipped as e:
      print('skipped:', e, file=sys.stderr)
  return cases


TRICKY_STRINGS = [
  '', 'a', 'hi', '\x00', 'a\x00b', 'hello, world',
  '\x80', '\xe9', '\x80b', 'ab\xefc', '\xff\xff\xff', '\u0100', '\u01ffy', 'xy\u01ff',
  '\u07ff', '\u0800', 'a\ud7ffb', '\ue000', '\uffff', '\U00010000', '\U0010ffff',
  '\U0001f600', 'a\U0001f600b', 'abcdef\uf123', 'a\u02ff\u03ff\u04ffbc', '\uf123\uf123abc',
  '\xe9\xe9\xe9\u0100xyz', '\xe9' * 20 + '\u0100', 'xyz' * 3 + '\U0001f600',
  '\xe9' * 12, '\u4e2d\u6587\U00020000',
]


def string_source(s, rep):
  """Source memory bytes and tagged code units for `s` kept in representation `rep`."""
  if rep == 'utf8':
    b = s.encode('utf-8')
    return 'utf8', b, len(b)
  if rep == 'utf16':
    b = s.encode('utf-16-le')
    return 'utf16', b, len(b) // 2
  if rep == 'latin1':
    b = s.encode('latin-1')
    return 'latin1+utf16', b, len(b)
  b = s.encode('utf-16-le')
  return 'latin1+utf16', b, (len(b) // 2) | (1 << 31)


def string_cases(rng):
  """Every tricky string in every source representation into every destination encoding,
  with copying, non-copying and in-place reallocs; then realloc failures and traps."""
  cases = []

  def add(types, src_encoding, mem, flat, max_flat, dst):
    try:
      cases.append(run_case(types, src_encoding, mem, flat, max_flat, dst))
    except Skipped as e:
      print('skipped:', e, file=sys.stderr)

  def dst_for(types, encoding, policy, size=None, max_flat=16):
    return {'encoding': encoding, 'size': size or 2048, 'heap_start': 16, 'policy': policy,
            'max_flat': max_flat, 'out_param': None}

  for si, s in enumerate(TRICKY_STRINGS):
    for rep in ['utf8', 'utf16', 'latin1', 'tagged']:
      try:
        enc, b, units = string_source(s, rep)
      except UnicodeEncodeError:
        continue
      mem = bytes(8) + b
      for dst_encoding in ENCODINGS:
        # Every pair with a copying realloc; where that took more than one realloc call, also
        # with a non-copying or an in-place one (alternating), which tell whether the
        # engine reads back what realloc left instead of what it wrote before.
        add(['string'], enc, mem, [['i32', '8'], ['i32', str(units)]], 16,
            dst_for(['string'], dst_encoding, 'bump'))
        lower = cases[-1].get('lower')
        if isinstance(lower, dict) and len(lower['realloc']) > 1:
          policy = ['nocopy', 'inplace'][(si + ENCODINGS.index(dst_encoding)) % 2]
          add(['string'], enc, mem, [['i32', '8'], ['i32', str(units)]], 16,
              dst_for(['string'], dst_encoding, policy))
      # The same string inside a spilled record, loaded from memory.
      if si % 3 == 0:
        spilled = bytearray(16 + len(b))
        spilled[0] = 7
        struct.pack_into('<III', spilled, 4, 16, units, 0xC0FFEE)
        spilled[16:] = b
        types = [{'record': ['u8', 'string']}, 'u32']
        add(types, enc, bytes(spilled), [['i32', '0']], 1,
            dst_for(types, rng.choice(ENCODINGS), 'bump', max_flat=1))

  # Realloc results: misaligned, out of bounds, memory growth, a memory too small.
  for s, reps in [('', ['utf8']), ('a', ['utf8', 'tagged']), ('\xe9b', ['utf8', 'tagged']),
                  ('a\u0100', ['utf16', 'tagged']), ('\U0001f600', ['utf8'])]:
    for rep in reps:
      enc, b, units = string_source(s, rep)
      for dst_encoding in ENCODINGS:
        for policy, size in [('misaligned', 2048), ('oob', 2048), ('grow', 16), ('bump', 20)]:
          add(['string'], enc, bytes(8) + b, [['i32', '8'], ['i32', str(units)]], 16,
              dst_for(['string'], dst_encoding, policy, size))

  # Malformed sources: every one traps while lifting.
  bad = [
    ('utf8', b'\xff', 1), ('utf8', b'\xc3', 1), ('utf8', b'ab\xe2\x82', 4), ('utf8', b'\xc0\x80', 2),
    ('utf8', b'\xe0\x80\x80', 3), ('utf8', b'\xed\xa0\x80', 3), ('utf8', b'\xf4\x90\x80\x80', 4),
    ('utf8', b'\xe2\x82x', 3), ('utf8', b'\x80', 1), ('utf8', b'\xf8\x88\x80\x80\x80', 5),
    ('utf16', b'\x00\xd8', 1), ('utf16', b'\x00\xdc\x61\x00', 2), ('utf16', b'\x00\xd8\x61\x00', 2),
    ('utf16', b'\x61\x00\x00\xdc\x00\xd8', 3), ('latin1+utf16', b'\x00\xdc', 1 | (1 << 31)),
    ('latin1+utf16', b'\x3d\xd8', 1 | (1 << 31)),
  ]
  for enc, b, units in bad:
    add(['string'], enc, bytes(8) + b, [['i32', '8'], ['i32', str(units)]], 16,
        dst_for(['string'], 'utf8', 'bump'))
  # Lengths, alignment and bounds.
  for enc, ptr, units, size in [('utf8', 8, 1 << 28, 64), ('utf16', 8, 1 << 27, 64), ('utf16', 8, 0x80000001, 64),
                                ('utf16', 9, 1, 64), ('latin1+utf16', 9, 1, 64), ('latin1+utf16', 9, 1 << 31, 64),
                                ('utf8', 63, 2, 64), ('utf8', 64, 0, 64), ('utf8', 65, 0, 64),
                                ('utf8', 0x80000000, 1, 64), ('latin1+utf16', 60, 2 | (1 << 31), 64)]:
    add(['string'], enc, bytes(size), [['i32', str(ptr)], ['i32', str(units)]], 16,
        dst_for(['string'], 'utf16', 'bump'))
  return cases


def main():
  ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
  ap.add_argument('defs_dir', help='directory holding the spec\'s definitions.py')
  ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', 'vectors'))
  ap.add_argument('--seed', type=int, default=1)
  ap.add_argument('--roundtrip', type=int, default=120)
  ap.add_argument('--fuzz', type=int, default=120)
  args = ap.parse_args()

  global d
  sys.path.insert(0, os.path.abspath(args.defs_dir))
  import definitions
  d = definitions
  d.DETERMINISTIC_PROFILE = True
  sys.setrecursionlimit(10000)

  rng = random.Random(args.seed)
  os.makedirs(args.out, exist_ok=True)
  families = [
    ('strings.json', string_cases(rng)),
    ('values.json', roundtrip_cases(rng, args.roundtrip)),
    ('fuzz.json', fuzz_cases(rng, args.fuzz)),
  ]
  for name, cases in families:
    path = os.path.join(args.out, name)
    with open(path, 'w') as f:
      f.write('[\n')
      f.write(',\n'.join(json.dumps(c, separators=(',', ':')) for c in cases))
      f.write('\n]\n')
    lifted = sum(1 for c in cases if c['lift'] != 'trap')
    lowered = sum(1 for c in cases if isinstance(c.get('lower'), dict) and 'flat' in c['lower'])
    print('%s: %d cases (%d lifted, %d lowered), %d bytes' %
          (name, len(cases), lifted, lowered, os.path.getsize(path)))


if __name__ == '__main__':
  main()
