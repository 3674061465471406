// A WASI 0.3 command with the page's own streams as its stdio: a file the user picks is
// its stdin (File.stream(), read as the command reads), and its stdout is a WritableStream
// that writes into the page as the bytes come. The command is components/wasi-cat.wasm,
// which passes stdin's stream to stdout untouched.
import { h } from '../dom.mjs';

// What the page shows of the output; the rest is counted, not kept.
const SHOWN_BYTES = 64 * 1024;

export class WasiStdioView {
  /** elements: { form, file, run, output, status }; componentUrl: the command's .wasm */
  constructor(elements, componentUrl) {
    this.el = elements;
    this.componentUrl = componentUrl;
    this.component = null;
    elements.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.run();
    });
    this.status('Choose a text file and press Run: it goes to the command as its stdin.', 'info');
  }

  status(text, kind) {
    this.el.status.textContent = text;
    this.el.status.className = `status ${kind}`;
  }

  async run() {
    const [file] = this.el.file.files;
    if (!file) return this.status('Choose a file first.', 'error');
    this.el.run.disabled = true;
    this.el.output.replaceChildren();
    document.body.dataset.wasi = 'running';
    try {
      // Loaded on first use: the page needs cmbridge/wasi (and its shims) only here.
      const [{ Component }, { runCommand }] = await Promise.all([import('../../js/index.mjs'), import('../../js/wasi/index.mjs')]);
      this.component ??= await Component.compile(fetch(this.componentUrl));
      const decoder = new TextDecoder();
      let total = 0;
      const stdout = new WritableStream({
        write: (chunk) => {
          const room = SHOWN_BYTES - total;
          if (room > 0) this.el.output.append(decoder.decode(chunk.subarray(0, room), { stream: true }));
          total += chunk.byteLength;
        },
      });
      const started = performance.now();
      const code = await runCommand(this.component, { args: ['cat'], stdin: file.stream(), stdout });
      const ms = performance.now() - started;
      if (total > SHOWN_BYTES) this.el.output.append(h('span', { class: 'muted' }, `\n… (${total - SHOWN_BYTES} more bytes)`));
      this.status(`exit code ${code}: ${total} bytes from ${file.name} through stdin and stdout in ${ms.toFixed(1)} ms.`, code === 0 ? 'ok' : 'error');
      document.body.dataset.wasi = `exit-${code}`;
    } catch (error) {
      this.status(`${error.name}: ${error.message}`, 'error');
      document.body.dataset.wasi = 'error';
    } finally {
      this.el.run.disabled = false;
    }
  }
}
