// What a page test does to a page (read text and attributes, click, fill inputs, choose
// files and options, wait for a selector), written with nothing but `page.evaluate`, so
// that one test file drives Chromium (playwright), Firefox (puppeteer) and WebKit (our
// WebDriver page) alike. Each call passes one argument to evaluate: playwright takes one.
// Events are dispatched as a user's input would cause them (`input`, `change`, `click`).

const POLL_MS = 50;

export class DomDriver {
  constructor(page) {
    this.page = page;
  }

  /** The element's textContent (null when there is none). */
  text(selector) {
    return this.page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
  }

  /** The textContent of every element the selector matches. */
  texts(selector) {
    return this.page.evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.textContent), selector);
  }

  attribute(selector, name) {
    return this.page.evaluate(({ s, n }) => document.querySelector(s)?.getAttribute(n) ?? null, { s: selector, n: name });
  }

  count(selector) {
    return this.page.evaluate((s) => document.querySelectorAll(s).length, selector);
  }

  isDisabled(selector) {
    return this.page.evaluate((s) => document.querySelector(s).disabled === true, selector);
  }

  /** Whether the element is absent, `hidden`, or not displayed. */
  isHidden(selector) {
    return this.page.evaluate((s) => {
      const e = document.querySelector(s);
      return !e || e.hidden || getComputedStyle(e).display === 'none';
    }, selector);
  }

  async click(selector) {
    const found = await this.page.evaluate((s) => {
      const e = document.querySelector(s);
      if (!e) return false;
      e.click();
      return true;
    }, selector);
    if (!found) throw new Error(`click: nothing matches ${selector}`);
  }

  /** Sets the value of the inputs `selector` matches, in order, as typing would. */
  async fill(selector, values) {
    const n = await this.page.evaluate(({ s, values }) => {
      const inputs = [...document.querySelectorAll(s)];
      if (inputs.length !== values.length) return inputs.length;
      inputs.forEach((input, i) => {
        input.value = values[i];
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
      });
      return inputs.length;
    }, { s: selector, values });
    if (n !== values.length) throw new Error(`fill: ${selector} has ${n} inputs, not ${values.length}`);
  }

  /** Chooses the option whose text is `label` in the select, as a user would. */
  async select(selector, label) {
    const found = await this.page.evaluate(({ s, label }) => {
      const select = document.querySelector(s);
      const option = [...select.options].find((o) => o.textContent.trim() === label);
      if (!option) return false;
      select.value = option.value;
      select.dispatchEvent(new Event('input', { bubbles: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
      return true;
    }, { s: selector, label });
    if (!found) throw new Error(`select: no option "${label}" in ${selector}`);
  }

  /** Gives the file input one file (`bytes`: a Buffer or Uint8Array), as choosing it would. */
  async setFile(selector, { name, type, bytes }) {
    const base64 = Buffer.from(bytes).toString('base64');
    await this.page.evaluate(({ s, name, type, base64 }) => {
      const binary = atob(base64);
      const data = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type }));
      const input = document.querySelector(s);
      input.files = transfer.files;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, { s: selector, name, type, base64 });
  }

  /** The bytes behind a link's href (a blob: URL the page offers for download). */
  async linkedBytes(selector) {
    const base64 = await this.page.evaluate(async (s) => {
      const bytes = new Uint8Array(await (await fetch(document.querySelector(s).href)).arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    }, selector);
    return Buffer.from(base64, 'base64');
  }

  /** Resolves when the element's text matches `pattern`; rejects after `timeout` ms. */
  async waitForText(selector, pattern, { timeout = 60_000 } = {}) {
    const until = Date.now() + timeout;
    for (;;) {
      const text = await this.text(selector);
      if (text !== null && pattern.test(text)) return text;
      if (Date.now() > until) throw new Error(`waited ${timeout} ms for ${selector} to match ${pattern} (it says ${JSON.stringify(text)})`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Resolves when the selector matches an element; rejects after `timeout` ms, naming it. */
  async waitFor(selector, { timeout = 60_000 } = {}) {
    const until = Date.now() + timeout;
    for (;;) {
      if (await this.page.evaluate((s) => document.querySelector(s) !== null, selector)) return;
      if (Date.now() > until) throw new Error(`waited ${timeout} ms for ${selector}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
