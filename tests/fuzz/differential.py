#!/usr/bin/env python3
"""Differential lifting: our engine against the spec's Python reference.

Reads the JSON lines that differential_gen (tests/fuzz/differential_gen.cpp) wrote, each a
lifting case (types, string encoding, max_flat, memory, core values) with what our engine
lifted, lifts each case again with the Component Model's own definitions.py
(lift_flat_values, with the fake store and options that tests/native/oracle/gen_vectors.py
builds), and compares the two by canonical text. Both lifting the same values, or both
trapping, is agreement; anything else is a mismatch, printed with its case and written to
the findings directory. Trap reasons are not compared: the reference's Trap carries none.
Where both lifted, both lower what they lifted again into a fresh destination (another
encoding and max_flat, a growing heap): the core values, every realloc call and the
final memory must be the same, byte for byte.

    python3 tests/fuzz/differential.py CASES.jsonl [--defs DIR] [--findings DIR]

DIR (--defs) holds definitions.py. By default it is found from CM_CONFORMANCE_DIR (the
component-model folder, holding canonical-abi/ and test/; a path to its test/ folder works
too, as the conformance tests take it) or ../shared/conformance/component-model beside the
repository. When it is absent the run is skipped with a message (exit 0).

No deliberate difference between the engine and the reference applies to lifting values
(docs/async-design.md lists those, all about tasks and streams), so every mismatch counts.

Exit status: 0 when every case agrees (or the reference is absent), 1 on any mismatch,
2 when the reference itself failed on a case (a harness problem, not a verdict).
"""

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def find_definitions(explicit):
  """The directory holding definitions.py, or None."""
  candidates = []
  if explicit:
    candidates.append(explicit)
  env = os.environ.get('CM_CONFORMANCE_DIR')
  if env:
    candidates += [os.path.join(env, 'canonical-abi'), os.path.join(env, '..', 'canonical-abi')]
  candidates.append(os.path.join(REPO, '..', 'shared', 'conformance', 'component-model', 'canonical-abi'))
  for c in candidates:
    if os.path.isfile(os.path.join(c, 'definitions.py')):
      return os.path.abspath(c)
  return None


# The destination of the lowering half, as differential_gen.cpp sets it up (kDstSize,
# kDstHeapStart, test_heap.h's Grow policy): gen_vectors.py's Heap.
DST_SIZE = 64
DST_HEAP_START = 16


def lower(d, gv, dst, spec_ts, lifted):
  """The reference's lowering of `lifted` into a fresh destination: what differential_gen
  recorded for ours ({flat | trap, realloc, memory})."""
  encoding, max_flat = dst
  heap = gv.Heap(DST_SIZE, 0xAA, DST_HEAP_START, 'grow')
  cx = gv.make_cx(heap.mem, encoding, heap.realloc)
  try:
    flat = d.lower_flat_values(cx, max_flat, lifted, spec_ts)
  except d.Trap:
    return {'trap': True, 'realloc': heap.log, 'memory': bytes(heap.mem).hex()}
  flat_types = d.flatten_types(spec_ts, cx.opts)
  if len(flat_types) > max_flat:
    flat_types = ['i32']
  return {'flat': gv.flat_json(flat_types, flat), 'realloc': heap.log, 'memory': bytes(heap.mem).hex()}


def same_lowering(ours, theirs):
  if ('trap' in ours) != ('trap' in theirs):
    return False
  if 'trap' not in ours and ours['flat'] != theirs['flat']:
    return False
  return ours['realloc'] == theirs['realloc'] and ours['memory'] == theirs['memory']


def main():
  ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
  ap.add_argument('cases', help='JSON lines written by differential_gen')
  ap.add_argument('--defs', help="directory holding the spec's definitions.py")
  ap.add_argument('--findings', default=os.path.join(REPO, 'build', 'fuzz', 'findings', 'differential'))
  ap.add_argument('--show', type=int, default=3, help='mismatches printed in full')
  args = ap.parse_args()

  defs = find_definitions(args.defs)
  if defs is None:
    print('differential: skipped: the spec\'s definitions.py was not found (set CM_CONFORMANCE_DIR to the '
          'component-model folder, which holds canonical-abi/definitions.py)')
    return 0

  # The reference, and gen_vectors.py's helpers around it (types from the JSON grammar,
  # canonical value text, a LiftLowerContext over a bytearray): one oracle harness, not two.
  sys.path.insert(0, defs)
  sys.path.insert(0, os.path.join(REPO, 'tests', 'native', 'oracle'))
  import definitions
  import gen_vectors as gv
  gv.d = definitions
  definitions.DETERMINISTIC_PROFILE = True
  sys.setrecursionlimit(10000)

  counts = {'cases': 0, 'lifted': 0, 'trapped': 0, 'lowered alike': 0, 'mismatches': 0, 'reference errors': 0}
  mismatches = []
  started = time.time()
  with open(args.cases) as f:
    for line_no, line in enumerate(f, 1):
      if not line.strip():
        continue
      case = json.loads(line)
      counts['cases'] += 1
      types = case['types']
      cx = gv.make_cx(bytearray.fromhex(case['memory']), case['encoding'])
      spec_ts = [gv.to_spec_type(t) for t in types]
      try:
        vi = definitions.CoreValueIter(gv.flat_from_json(case['flat']))
        lifted = definitions.lift_flat_values(cx, case['max_flat'], vi, spec_ts)
        theirs = [gv.canon_value(t, v) for t, v in zip(types, lifted)]
      except definitions.Trap:
        theirs = 'trap'
      except Exception as e:  # the reference failing is not a verdict on our engine
        counts['reference errors'] += 1
        print('differential: case %d: the reference raised %r' % (line_no, e), file=sys.stderr)
        continue
      ours = case['ours']
      if ours != theirs:
        counts['mismatches'] += 1
        mismatches.append((line_no, case, {'lift': theirs}))
        continue
      if ours == 'trap':
        counts['trapped'] += 1
        continue
      counts['lifted'] += 1
      try:
        their_lowering = lower(definitions, gv, case['dst'], spec_ts, lifted)
      except Exception as e:
        counts['reference errors'] += 1
        print('differential: case %d: the reference raised %r while lowering' % (line_no, e), file=sys.stderr)
        continue
      if not same_lowering(case['lowered'], their_lowering):
        counts['mismatches'] += 1
        mismatches.append((line_no, case, {'lowered': their_lowering}))
        continue
      counts['lowered alike'] += 1

  if mismatches:
    os.makedirs(args.findings, exist_ok=True)
    path = os.path.join(args.findings, 'mismatches-%d.jsonl' % int(started))
    with open(path, 'w') as out:
      for line_no, case, theirs in mismatches:
        out.write(json.dumps(dict(case, reference=theirs, line=line_no)) + '\n')
    for line_no, case, theirs in mismatches[:args.show]:
      print('differential: MISMATCH (case %d)' % line_no)
      print('  types     %s' % json.dumps(case['types']))
      print('  encoding  %s, max_flat %d, flat %s' % (case['encoding'], case['max_flat'], json.dumps(case['flat'])))
      print('  memory    %s' % case['memory'])
      print('  ours      %s%s' % (json.dumps(case['ours']), ' (%s)' % case['trap'] if case['ours'] == 'trap' else ''))
      if 'lift' in theirs:
        print('  reference %s' % json.dumps(theirs['lift']))
      else:
        print('  lowered again into %s (max_flat %d):' % tuple(case['dst']))
        print('    ours      %s' % json.dumps(case['lowered']))
        print('    reference %s' % json.dumps(theirs['lowered']))
    print('differential: all mismatches written to %s' % path)
  seconds = time.time() - started
  print('differential: %d cases in %.1f s (%.0f/s): %d lifted alike (%d of them lowered again alike), '
        '%d trapped alike, %d mismatches, %d reference errors' %
        (counts['cases'], seconds, counts['cases'] / max(seconds, 1e-9), counts['lifted'], counts['lowered alike'],
         counts['trapped'], counts['mismatches'], counts['reference errors']))
  if counts['mismatches']:
    return 1
  return 2 if counts['reference errors'] else 0


if __name__ == '__main__':
  sys.exit(main())
