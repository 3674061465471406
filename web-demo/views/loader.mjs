// Choosing the component: a button per bundled example, a file chooser, and a drop zone
// for a .wasm of one's own; the status line says what was loaded, or why it failed.
import { h } from '../dom.mjs';

export class LoaderView {
  /**
   * elements: { examples, fileInput, dropZone, status, reinstantiate }
   * actions: { loadExample(example), loadFile(file), reinstantiate() }
   */
  constructor(elements, examples, actions) {
    this.elements = elements;
    this.buttons = examples.map((example) => h('button', {
      type: 'button',
      class: 'example',
      dataset: { example: example.file },
      onclick: () => actions.loadExample(example),
    }, h('strong', {}, example.file.replace(/\.wasm$/, '')), h('span', {}, example.summary)));
    elements.examples.replaceChildren(...this.buttons);

    elements.fileInput.addEventListener('change', () => {
      const [file] = elements.fileInput.files;
      if (file) actions.loadFile(file);
      elements.fileInput.value = '';  // choosing the same file again loads it again
    });
    const zone = elements.dropZone;
    zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('dragging');
      const [file] = event.dataTransfer?.files ?? [];
      if (file) actions.loadFile(file);
      else this.status('Drop a .wasm file (nothing that was dropped is a file).', 'error');
    });
    elements.reinstantiate.addEventListener('click', () => actions.reinstantiate());
  }

  /** Marks the example being shown (none for a file of one's own). */
  select(file) {
    for (const button of this.buttons) button.setAttribute('aria-pressed', String(button.dataset.example === file));
  }

  status(text, kind = 'info') {
    this.elements.status.textContent = text;
    this.elements.status.className = `status ${kind}`;
  }

  canReinstantiate(yes) {
    this.elements.reinstantiate.disabled = !yes;
  }
}
