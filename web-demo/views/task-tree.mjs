// The live task tree: instance.taskTree() drawn as nested boxes, redrawn on every frame
// while calls and pipes run (live.mjs) and only when it changed.
//
// The snapshot lists tasks, subtasks, waitable sets and stream/future ends side by side;
// the drawing nests them the way a reader thinks of an async call stack. A thread that
// waits on a waitable set holds that set, and the set holds its members (stream ends,
// future ends, subtasks); a subtask holds the task it called (in whichever instance that
// runs); a thread blocked in a synchronous call holds that subtask. Whatever no thread
// claims is drawn under the instance whose table holds it.
import { h } from '../dom.mjs';

export class TaskTreeView {
  constructor(root) {
    this.root = root;
    this.instance = null;
    this.drawn = null;
  }

  /** The instance whose tree to draw (null: none loaded). */
  attach(instance) {
    this.instance = instance;
    this.drawn = null;
    this.draw();
  }

  draw() {
    if (!this.instance) {
      this.root.replaceChildren(h('p', { class: 'placeholder' }, 'No component loaded.'));
      return;
    }
    const tree = this.instance.taskTree();
    const key = JSON.stringify(tree);
    if (key === this.drawn) return;
    this.drawn = key;
    this.root.replaceChildren(...new Drawing(tree).draw());
  }
}

const count = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;
const pill = (text, kind = text) => h('span', { class: `pill ${kind}` }, text);

class Drawing {
  constructor(tree) {
    this.tree = tree;
    this.placed = new Set();  // the objects already drawn somewhere
    this.tasks = new Map(tree.tasks.map((t) => [t.id, t]));
    this.subtasks = new Map(tree.subtasks.map((s) => [s.id, s]));
  }

  draw() {
    const { instances, tasks, subtasks } = this.tree;
    // Boxes are made in order of precedence, so that each thing lands in the most telling
    // place: the host's calls first (they claim what their threads wait on, down the
    // call chain), then subtasks no thread waits on (they claim their callees), then
    // whatever is left. Instance boxes then take the boxes made for them.
    this.byInstance = new Map(instances.map((i) => [i.id, []]));
    const loose = [];  // in no instance's table (a synchronous call no thread is waiting in)
    const put = (instanceId, box) => (this.byInstance.get(instanceId) ?? loose).push(box);
    for (const task of tasks) if (task.callerSubtask === null) put(task.instance, this.taskBox(task));
    for (const subtask of subtasks) if (!this.placed.has(subtask)) put(subtask.instance, this.subtaskBox(subtask));
    for (const task of tasks) if (!this.placed.has(task)) put(task.instance, this.taskBox(task));
    const ends = instances.reduce((n, i) => n + i.streams.length + i.futures.length, 0);
    const summary = h('p', { class: 'summary' },
      `${count(tasks.length, 'task')} · ${count(subtasks.length, 'subtask')} · ${count(ends, 'stream/future end')}`);
    return [summary, ...instances.filter((i) => i.parent === null).map((i) => this.instanceBox(i)), ...loose];
  }

  // Handles are per instance: (instance id, handle) names a table entry.
  entry(instanceId, handle) {
    const inst = this.tree.instances.find((i) => i.id === instanceId);
    if (!inst) return null;
    const stream = inst.streams.find((s) => s.handle === handle);
    if (stream) return { kind: 'stream', value: stream };
    const future = inst.futures.find((f) => f.handle === handle);
    if (future) return { kind: 'future', value: future };
    const subtask = this.tree.subtasks.find((s) => s.instance === instanceId && s.handle === handle);
    if (subtask) return { kind: 'subtask', value: subtask };
    return null;
  }

  instanceBox(inst) {
    const sets = inst.waitableSets.filter((s) => !this.placed.has(s)).map((s) => this.setBox(inst.id, s));
    const ends = [...inst.streams.map((s) => ['stream', s]), ...inst.futures.map((f) => ['future', f])]
      .filter(([, e]) => !this.placed.has(e)).map(([kind, e]) => this.endBox(kind, e));
    const children = this.tree.instances.filter((i) => i.parent === inst.id).map((i) => this.instanceBox(i));
    const badges = [
      inst.backpressure > 0 ? pill(`backpressure ${inst.backpressure}`, 'warn') : null,
      inst.waitingToEnter > 0 ? pill(`${inst.waitingToEnter} waiting to enter`, 'warn') : null,
      inst.lockedBy !== null ? pill(`locked by thread ${inst.lockedBy}`, 'info') : null,
    ];
    const body = [...this.byInstance.get(inst.id), ...sets, ...ends, ...children];
    return h('div', { class: 'box instance', dataset: { instance: inst.id } },
      h('div', { class: 'head' }, h('strong', {}, `instance ${inst.id}`), badges),
      body.length ? body : h('p', { class: 'idle' }, 'idle: no task, stream or future'));
  }

  taskBox(task) {
    this.placed.add(task);
    const name = task.export !== null ? h('code', {}, task.export) : h('span', {}, 'called by a component');
    return h('div', { class: 'box task', dataset: { task: task.id, export: task.export ?? '', state: task.state } },
      h('div', { class: 'head' },
        h('strong', {}, `task ${task.id}`), ' ', name,
        task.instance !== null ? h('span', { class: 'muted' }, ` in instance ${task.instance}`) : null,
        ' ', pill(task.state), task.outcome ? pill(task.outcome, 'muted') : null,
        h('span', { class: 'muted' }, ` ${task.lift}${task.asyncType ? ', async func' : ''}`)),
      task.threads.map((thread) => this.threadBox(task, thread)));
  }

  threadBox(task, thread) {
    const waiting = thread.waitingFor;
    const inside = [];
    let what = thread.state;
    if (waiting && waiting.kind !== 'none') {
      what = `${thread.state}: ${waiting.kind}`;
      if (waiting.waitableSet !== undefined && waiting.waitableSet !== null) {
        what += ` on set ${waiting.waitableSet}`;
        const inst = this.tree.instances.find((i) => i.id === task.instance);
        const set = inst?.waitableSets.find((s) => s.handle === waiting.waitableSet);
        if (set && !this.placed.has(set)) inside.push(this.setBox(task.instance, set));
      }
      if (waiting.subtask !== undefined) {
        what += ` on subtask ${waiting.subtask}`;
        const subtask = this.subtasks.get(waiting.subtask);
        if (subtask && !this.placed.has(subtask)) inside.push(this.subtaskBox(subtask));
      }
    }
    return h('div', { class: 'box thread', dataset: { thread: thread.id, state: thread.state } },
      h('div', { class: 'head' },
        h('strong', {}, `thread ${thread.id}`),
        h('span', { class: 'muted' }, ` #${thread.index}${thread.implicit ? ' (implicit)' : ''}`), ' ',
        pill(what, thread.state)),
      inside);
  }

  setBox(instanceId, set) {
    this.placed.add(set);
    const members = set.members.map((handle) => {
      const found = handle === null ? null : this.entry(instanceId, handle);
      if (!found || this.placed.has(found.value)) return h('div', { class: 'member muted' }, `handle ${handle}`);
      return found.kind === 'subtask' ? this.subtaskBox(found.value) : this.endBox(found.kind, found.value);
    });
    const pending = set.pendingEvents.map((e) => `${e.event} on ${e.handle}`).join(', ');
    return h('div', { class: 'box set', dataset: { set: set.handle } },
      h('div', { class: 'head' },
        h('strong', {}, `waitable set ${set.handle}`),
        h('span', { class: 'muted' }, ` ${count(set.members.length, 'member')}, ${set.waiting} waiting`),
        pending ? pill(`pending: ${pending}`, 'warn') : null),
      members);
  }

  subtaskBox(subtask) {
    this.placed.add(subtask);
    const callee = subtask.calleeTask !== null ? this.tasks.get(subtask.calleeTask) : null;
    return h('div', { class: 'box subtask', dataset: { subtask: subtask.id, state: subtask.state } },
      h('div', { class: 'head' },
        h('strong', {}, `subtask ${subtask.id}`),
        subtask.handle !== null ? h('span', { class: 'muted' }, ` handle ${subtask.handle}`) : null, ' ',
        pill(subtask.state), subtask.pendingEvent ? pill('event pending', 'warn') : null,
        callee ? null : h('span', { class: 'muted' }, ' → the host')),
      callee && !this.placed.has(callee) ? this.taskBox(callee) : null);
  }

  endBox(kind, end) {
    this.placed.add(end);
    const copy = end.copy ? ` ${end.copy.progress} / ${end.copy.length}` : '';
    return h('div', { class: `box end ${kind}`, dataset: { end: end.end, state: end.state, handle: end.handle } },
      h('div', { class: 'head' },
        h('strong', {}, `${kind} ${end.end} end ${end.handle}`), ' ',
        pill(`${end.state}${copy}`, end.state),
        h('span', { class: 'moved' }, ` ${end.elementsMoved.toLocaleString('en')} moved`),
        end.otherEndDropped ? pill('other end dropped', 'muted') : null,
        end.pendingEvent ? pill(`pending: ${end.pendingEvent}`, 'warn') : null));
  }
}
