// What a component offers: its WIT (from component.wit(), where the package has it) and
// the exports as the instance shows them to JS, each with its component type.
import { h } from '../dom.mjs';
import { funcText, labelParts } from '../type-text.mjs';

export class InterfaceView {
  constructor({ wit, exportList }) {
    this.wit = wit;
    this.exportList = exportList;
  }

  show(component, entries) {
    this.showWit(component);
    this.exportList.replaceChildren(...entries.map((entry) => h('li', { dataset: { export: entry.label } },
      exportName(entry.label), ': ', h('code', {}, entry.kind === 'function' ? funcText(entry.type) : 'resource (a class)'))));
    if (entries.length === 0) this.exportList.replaceChildren(h('li', { class: 'placeholder' }, 'no exports'));
  }

  showWit(component) {
    if (typeof component.wit !== 'function') {
      this.wit.textContent = 'WIT view needs component.wit() (not in this build of the package)';
      this.wit.className = 'placeholder';
      this.wit.dataset.wit = 'missing';
      return;
    }
    try {
      this.wit.textContent = component.wit();
      this.wit.className = '';
      this.wit.dataset.wit = 'shown';
    } catch (error) {
      this.wit.textContent = `the WIT could not be made: ${error.name}: ${error.message}`;
      this.wit.className = 'error';
      this.wit.dataset.wit = 'error';
    }
  }

  clear() {
    this.wit.textContent = '';
    delete this.wit.dataset.wit;
    this.exportList.replaceChildren();
  }
}

/** An export's label, its interface part muted. */
export function exportName(label) {
  const { iface, name } = labelParts(label);
  return h('code', {}, iface ? h('span', { class: 'iface' }, iface) : null, h('span', { class: 'name' }, name));
}
