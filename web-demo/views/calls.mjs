// A form per exported function: one input per parameter (WAVE text), a Call button, and
// the outcome shown as a value: the result, an err(e) of a result type, a trap, or why
// the input was refused. Async functions are awaited while the page redraws the task tree.
import { h } from '../dom.mjs';
import { typeText } from '../type-text.mjs';
import { exportName } from './interface.mjs';
import { exampleText, parseFormArguments, showError, showResult } from '../wave-form.mjs';

export class CallsView {
  /** onOutcome(outcome) hears of every call's outcome (the page watches for traps). */
  constructor(root, ticker, onOutcome) {
    this.root = root;
    this.ticker = ticker;
    this.onOutcome = onOutcome;
  }

  show(entries, presets = {}) {
    const forms = entries.filter((e) => e.kind === 'function').map((entry) => this.form(entry, presets[entry.label]));
    this.root.replaceChildren(...(forms.length ? forms : [h('p', { class: 'placeholder' }, 'This component exports no functions.')]));
  }

  clear() {
    this.root.replaceChildren();
  }

  form(entry, preset = []) {
    const { type } = entry;
    const inputs = type.params.map((param, i) => h('input', {
      type: 'text',
      name: param.name,
      value: preset[i] ?? exampleText(param.type),
      spellcheck: false,
      autocomplete: 'off',
      'aria-label': `${param.name}: ${typeText(param.type)}`,
      title: `${param.name}: ${typeText(param.type)}`,
    }));
    const output = h('output', { class: 'outcome' });
    const took = h('span', { class: 'took' });
    let latest = 0;
    const call = async (event) => {
      event.preventDefault();
      const id = ++latest;
      output.textContent = 'running…';
      output.className = 'outcome running';
      took.textContent = '';
      const started = performance.now();
      const outcome = await this.run(entry, inputs.map((input) => input.value));
      if (id !== latest) return;  // a newer call of this form has started: show that one
      if (!output.isConnected) return;  // another component (or instance) is shown now
      output.textContent = outcome.text;
      output.className = `outcome ${outcome.kind}`;
      output.dataset.kind = outcome.kind;
      took.textContent = `${(performance.now() - started).toFixed(1)} ms`;
      this.onOutcome(outcome);
    };
    return h('form', { class: 'call', dataset: { export: entry.label }, onsubmit: call },
      h('div', { class: 'signature' },
        exportName(entry.label), type.async ? h('span', { class: 'badge' }, 'async') : null, h('code', {}, '(')),
      h('div', { class: 'params' }, type.params.map((param, i) => h('label', {},
        h('span', { class: 'param' }, h('code', {}, param.name), ': ', h('code', { class: 'type' }, typeText(param.type))),
        inputs[i]))),
      h('div', { class: 'actions' },
        h('code', {}, ')'), type.result ? h('code', { class: 'type' }, `→ ${typeText(type.result)}`) : null,
        h('button', { type: 'submit' }, 'Call'), took),
      output);
  }

  // Parses, calls and shows; never throws (every outcome is something to show).
  async run(entry, texts) {
    let value;
    try {
      const args = parseFormArguments(texts, entry.type);
      value = entry.fn(...args);
      if (value instanceof Promise || entry.type.async) value = await this.ticker.track(value);
    } catch (error) {
      this.ticker.requestDraw();
      return showError(error, entry.type);
    }
    try {
      // A stream or future result goes on after the call returned: keep drawing until read.
      return await this.ticker.track(showResult(value, entry.type));
    } catch (error) {
      return showError(error, entry.type, { readingResult: true });
    } finally {
      this.ticker.requestDraw();
    }
  }
}
