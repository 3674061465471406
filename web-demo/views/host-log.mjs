// The host log: what the page's host imports were asked to do (host-imports.mjs).
const MAX_LINES = 200;

export class HostLogView {
  constructor(element) {
    this.element = element;
    this.write = this.write.bind(this);
  }

  write(line) {
    const lines = this.element.textContent ? this.element.textContent.split('\n').slice(0, -1) : [];
    lines.push(line);
    this.element.textContent = `${lines.slice(-MAX_LINES).join('\n')}\n`;
    this.element.scrollTop = this.element.scrollHeight;
  }

  clear() {
    this.element.textContent = '';
  }
}
