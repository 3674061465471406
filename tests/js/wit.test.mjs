// component.wit() and `cmbridge wit`: the WIT the engine prints from a component's types,
// for our test components (component text) and for a component wit-component made from a
// WIT world with every kind of item (tests/components/shapes.wit). What we print must be
// WIT that wit-parser accepts: turned into a component again, it prints the same.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Component } from '../../js/index.mjs';
import { componentBytes, watToBytes, witFileComponent, witToComponent } from '../helpers/components.mjs';

const cli = new URL('../../js/cli.mjs', import.meta.url).pathname;
let dir;

function run(...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

async function witOf(bytes) {
  return (await Component.compile(bytes)).wit();
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cmbridge-wit-'));
});

test('functions of the world, sync and async', async () => {
  assert.equal(await witOf(await componentBytes('add')), `package root:component;

world root {
  export add: func(a: u32, b: u32) -> u32;
}
`);
  assert.equal(await witOf(await componentBytes('streams-imports')), `package root:component;

world root {
  import sink: func(s: stream<u8>);
  import source: func() -> stream<u8>;

  export send: func(n: u32) -> u32;
  export recv: func(n: u32) -> u32;
}
`);
  const streams = await witOf(await componentBytes('streams'));
  assert.match(streams, /^ {2}export produce: async func\(n: u32, chunk: u32\) -> stream<u8>;$/m);
  assert.match(streams, /^ {2}export future-of: async func\(x: u32\) -> future<u32>;$/m);
  assert.match(streams, /^ {2}export words: async func\(\) -> stream<string>;$/m);
});

test('an imported interface with a resource; a resource the component exports at its top level', async () => {
  assert.equal(await witOf(await componentBytes('resources')), `package root:component;

world root {
  import test:host/logging;

  // exported types (a WIT world cannot export a type; the component does):
  resource counter {
    constructor(start: u32);
    increment: func() -> u32;
    get: func() -> u32;
    merge: static func(a: counter, b: counter) -> counter;
  }

  export keep: func(c: counter) -> u32;
  export dropped: func() -> u32;
  export use-logger: func(prefix: string, message: string) -> string;
  export drop-handle: func(h: u32);
}

package test:host {
  interface logging {
    resource logger {
      constructor(prefix: string);
      log: func(message: string) -> string;
    }
  }
}
`);
});

test('an instance with a plain name is an inline interface', async () => {
  assert.equal(await witOf(await componentBytes('composed')), `package root:component;

world root {
  export shout: func(name: string) -> string;
  export greet: func(name: string) -> string;
  export greeter-calls: func() -> u32;
  export other-calls: func() -> u32;

  export other: interface {
    greet: func(name: string) -> string;
    calls: func() -> u32;
  }
}
`);
});

const SHAPES_WIT = `package root:component;

world root {
  use test:shapes/types@1.2.0.{color, perms};

  import test:shapes/types@1.2.0;

  import clock: interface {
    now: func() -> u64;
    sleep: async func(ms: u32);
  }

  import log: func(msg: string);
  import paint: func(c: color, p: perms) -> result<_, string>;

  export run: func(args: list<string>) -> result;
  export scalars: func(a: bool, b: s8, c: u8, d: s16, e: u16, f: s32, g: u32, h: s64, i: u64, j: f32, k: f64, l: char) -> tuple<u8, string>;

  export test:shapes/api@1.2.0;
}

package test:shapes@1.2.0 {
  interface types {
    enum color {
      red,
      green,
      blue,
    }

    flags perms {
      read,
      write,
      exec,
    }

    resource blob {
      constructor(data: list<u8>);
      size: func() -> u32;
      read: func(off: u32, len: u32) -> result<list<u8>, string>;
      merge: static func(a: blob, b: borrow<blob>) -> blob;
      %type: func() -> string;
    }

    record point {
      x: s32,
      y: s32,
    }

    variant shape {
      circle(f64),
      rect(tuple<point, point>),
      none,
    }

    type id = u64;

    record entry {
      key: string,
      %flags: perms,
      data: list<u8>,
    }
  }

  interface api {
    use types.{point, shape, blob, id, entry};

    area: func(s: shape) -> f64;
    first: func(p: list<point>) -> option<point>;
    nested: func(o: option<option<u32>>) -> result<option<string>, u8>;
    fetch: async func(url: string) -> result<string, error-context>;
    pipe: async func(input: stream<u8>) -> stream<u8>;
    numbers: func(s: stream<u32>) -> future<list<s64>>;
    later: func() -> future;
    ids: func(n: id) -> list<id>;
    entries: func() -> list<entry>;
    quad: func(q: list<f32, 4>) -> tuple<bool, char, s16>;
    keep: func(b: blob) -> u32;
    tick: func();
  }
}
`;

test('a component made by wit-component: every kind of type, interfaces that use each other, a world-level use', async () => {
  assert.equal(await witOf(await witFileComponent('shapes', 'shapes')), SHAPES_WIT);
});

test('what we print is WIT: wit-component accepts it, and its component prints the same', async () => {
  const again = await witToComponent(SHAPES_WIT, 'root');
  assert.equal(await witOf(again), SHAPES_WIT);
  // Across packages, with uses of uses and a use under another name.
  const wasi = `package root:component;

world root {
  use wasi:io/streams@0.2.0.{output-stream};

  import wasi:io/error@0.2.0;
  import wasi:io/streams@0.2.0;
  import wasi:cli/stdout@0.2.0;

  import get: func() -> output-stream;

  export wasi:cli/run@0.2.0;
}

package wasi:io@0.2.0 {
  interface error {
    resource error {
      to-debug-string: func() -> string;
    }
  }

  interface streams {
    use error.{error, error as failure};

    resource output-stream {
      write: func(contents: list<u8>) -> result<_, stream-error>;
    }

    variant stream-error {
      last-operation-failed(error),
      closed,
    }

    last-failure: func() -> failure;
  }
}

package wasi:cli@0.2.0 {
  interface stdout {
    use wasi:io/streams@0.2.0.{output-stream};

    get-stdout: func() -> output-stream;
  }

  interface run {
    run: func() -> result;
  }
}
`;
  assert.equal(await witOf(await witToComponent(wasi, 'root')), wasi);
});

test('keywords are escaped with %', async () => {
  const wit = await witOf(await watToBytes(`(component
    (import "list" (func (param "type" u32) (param "from" string) (result bool))))`));
  assert.match(wit, /^ {2}import %list: func\(%type: u32, %from: string\) -> bool;$/m);
});

test('`cmbridge wit` prints the same text; errors go to stderr', async () => {
  const file = path.join(dir, 'shapes.wasm');
  await writeFile(file, await witFileComponent('shapes', 'shapes'));
  assert.deepEqual(await run('wit', file), { code: 0, stdout: SHAPES_WIT, stderr: '' });
  await writeFile(path.join(dir, 'junk.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0xff]));
  const junk = await run('wit', path.join(dir, 'junk.wasm'));
  assert.equal(junk.code, 1);
  assert.match(junk.stderr, /CompileError: .*offset/);
  const usage = await run('wit');
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /usage: cmbridge wit <component.wasm>/);
});
