// Piping a file through an export shaped `stream<u8> -> stream<u8>`: the file's bytes go
// through a speed limit (throttle.mjs) into the export's asTransform() and out into a
// Blob offered for download, with a progress bar and the live rate.
import { h } from '../dom.mjs';
import { isByteTransform } from '../exports.mjs';
import { Throttle } from '../throttle.mjs';

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;

export class TransformView {
  /** elements: { panel, form, exportSelect, file, speed, run, cancel, progress, percent, stats, status, download } */
  constructor(elements, ticker) {
    this.el = elements;
    this.ticker = ticker;
    this.throttle = new Throttle();
    this.transforms = [];
    this.abort = null;
    this.downloadUrl = null;
    elements.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.run();
    });
    elements.speed.addEventListener('change', () => { this.throttle.limit = Number(elements.speed.value); });
    this.throttle.limit = Number(elements.speed.value);
    elements.cancel.addEventListener('click', () => this.abort?.abort(new DOMException('cancelled by the user', 'AbortError')));
    this.clear();
  }

  // A new instance (another component, or the same one again): a pipe still running
  // through the old one is cancelled, and the last pipe's result and download go.
  show(entries) {
    if (this.abort) {
      this.abort.abort(new DOMException('another instance was loaded', 'AbortError'));
      this.abort = null;
      this.el.cancel.disabled = true;
    }
    this.withdrawDownload();
    delete this.el.panel.dataset.state;
    delete this.el.panel.dataset.percent;
    this.el.progress.value = 0;
    this.el.percent.textContent = '';
    this.el.stats.textContent = '';
    this.transforms = entries.filter((e) => e.kind === 'function' && isByteTransform(e));
    this.el.exportSelect.replaceChildren(...this.transforms.map((entry, i) => h('option', { value: String(i) }, entry.label)));
    const none = this.transforms.length === 0;
    this.el.panel.classList.toggle('unavailable', none);
    for (const control of [this.el.exportSelect, this.el.file, this.el.run]) control.disabled = none;
    if (none) this.status('This component exports no stream<u8> → stream<u8> function. The rot13 example has two.', 'placeholder');
    else this.status('Choose a file and press Run.', 'info');
  }

  clear() {
    this.show([]);
  }

  status(text, kind) {
    this.el.status.textContent = text;
    this.el.status.className = `status ${kind}`;
  }

  async run() {
    const [file] = this.el.file.files;
    if (!file) return this.status('Choose a file first.', 'error');
    const entry = this.transforms[Number(this.el.exportSelect.value)];
    this.abort?.abort(new DOMException('a new run started', 'AbortError'));
    const abort = new AbortController();
    this.abort = abort;
    this.withdrawDownload();
    this.el.panel.dataset.state = 'running';
    this.el.cancel.disabled = false;
    this.el.run.disabled = true;  // one pipe at a time; Cancel ends it
    this.status(`${entry.label}: streaming ${file.name}…`, 'info');

    const pipe = { size: file.size, bytesIn: 0, bytesOut: 0, started: performance.now(), finished: null };
    const stopDrawing = this.ticker.onFrame(() => this.abort === abort && this.drawProgress(pipe));
    let chunks = null;
    let failure = null;
    try {
      chunks = await this.ticker.track(this.stream(file, entry, pipe, abort.signal));
    } catch (error) {
      failure = error;
    }
    pipe.finished = performance.now();
    stopDrawing();
    if (this.abort !== abort) return;  // a newer instance has the view now
    this.abort = null;
    this.el.cancel.disabled = true;
    this.el.run.disabled = this.transforms.length === 0;
    if (chunks) {
      this.offerDownload(chunks, `${file.name}.${entry.label}`);
      this.el.panel.dataset.state = 'done';
      this.status(`${entry.label}: done, ${pipe.bytesOut} bytes out.`, 'ok');
    } else if (abort.signal.aborted) {
      this.el.panel.dataset.state = 'cancelled';
      this.status(`${entry.label}: ${abort.signal.reason.message}.`, 'info');
    } else {
      this.el.panel.dataset.state = 'error';
      this.status(`${entry.label} failed: ${failure.name}: ${failure.message}`, 'error');
    }
    this.drawProgress(pipe);
  }

  // file -> speed limit (counting what passes) -> the export's transform -> the chunks out.
  async stream(file, entry, pipe, signal) {
    const throttle = this.throttle;
    let counterControl;
    const counter = new TransformStream({
      start(controller) {
        counterControl = controller;
      },
      async transform(chunk, controller) {
        try {
          await throttle.pass(chunk.byteLength, signal);
        } catch {
          return;  // cancelled: the stream has been terminated
        }
        pipe.bytesIn += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const output = file.stream().pipeThrough(counter).pipeThrough(entry.fn.asTransform());
    const reader = output.getReader();
    // Cancelling ends the component's input (its read sees the writer dropped, not an
    // error: a stream carries no errors) and drops its output (its next write sees the
    // reader dropped); the component then finishes as it would at the end.
    signal.addEventListener('abort', () => {
      try {
        counterControl.terminate();
      } catch {
        // the input had already ended
      }
      reader.cancel(signal.reason).catch(() => {});
    });
    const received = [];
    for (;;) {
      const { value, done } = await reader.read();
      signal.throwIfAborted();
      if (done) return received;
      received.push(value);
      pipe.bytesOut += value.byteLength;
    }
  }

  drawProgress(pipe) {
    const done = pipe.finished !== null && this.el.panel.dataset.state === 'done';
    const fraction = pipe.size > 0 ? pipe.bytesIn / pipe.size : (done ? 1 : 0);
    const percent = Math.floor(fraction * 100);
    this.el.progress.value = fraction;
    this.el.percent.textContent = `${percent}%`;
    this.el.panel.dataset.percent = String(percent);
    const seconds = ((pipe.finished ?? performance.now()) - pipe.started) / 1000;
    const rate = seconds > 0 ? pipe.bytesIn / 1e6 / seconds : 0;
    this.el.stats.textContent =
      `${megabytes(pipe.bytesIn)} of ${megabytes(pipe.size)} in · ${megabytes(pipe.bytesOut)} out · ${rate.toFixed(1)} MB/s`;
  }

  offerDownload(chunks, name) {
    this.downloadUrl = URL.createObjectURL(new Blob(chunks, { type: 'application/octet-stream' }));
    const link = this.el.download;
    link.href = this.downloadUrl;
    link.download = name;
    link.textContent = `Download ${name}`;
    link.hidden = false;
  }

  withdrawDownload() {
    if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
    this.downloadUrl = null;
    this.el.download.hidden = true;
    this.el.download.removeAttribute('href');
  }
}
