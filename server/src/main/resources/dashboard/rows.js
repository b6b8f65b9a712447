// DOM helpers and a virtualised table body: only the rows in view (and a few around them) are in the DOM, so a list
// of 10,000 copies costs what 40 rows cost. Rows have a fixed height (--row in style.css).

/** An element: h('td', {class: 'num'}, 'text', child, ...). Attributes whose value is null or false are left out. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k.startsWith('on')) {
      el.addEventListener(k.slice(2), v);
    } else {
      el.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) {
      el.append(c instanceof Node ? c : String(c));
    }
  }
  return el;
}

/**
 * A virtualised tbody. renderRow(item, index) builds a fresh <tr>; rows already shown are updated cell by cell, and a
 * cell whose markup did not change is kept, so a focused button stays focused while the data under it changes.
 */
export class VirtualRows {
  constructor({ scroller, tbody, columns, rowHeight, key, renderRow, overscan = 8 }) {
    this.scroller = scroller;
    this.tbody = tbody;
    this.columns = columns;
    this.rowHeight = rowHeight;
    this.key = key;
    this.renderRow = renderRow;
    this.overscan = overscan;
    this.items = [];
    this.shown = new Map();
    this.top = h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td', { colspan: columns }));
    this.bottom = h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td', { colspan: columns }));
    this.tbody.replaceChildren(this.top, this.bottom);
    this.table = tbody.closest('table');
    let queued = false;
    scroller.addEventListener('scroll', () => {
      if (!queued) {
        queued = true;
        requestAnimationFrame(() => { queued = false; this.render(); });
      }
    });
    window.addEventListener('resize', () => this.render());
  }

  setItems(items) {
    this.items = items;
    this.render();
  }

  /** Scrolls so that the row of this key is in view; returns its index, or -1. */
  reveal(key) {
    const i = this.items.findIndex(item => this.key(item) === key);
    if (i >= 0) {
      const y = i * this.rowHeight;
      if (y < this.scroller.scrollTop || y + this.rowHeight > this.scroller.scrollTop + this.scroller.clientHeight) {
        this.scroller.scrollTop = Math.max(0, y - this.rowHeight * 2);
      }
      this.render();
    }
    return i;
  }

  render() {
    const n = this.items.length;
    const view = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / this.rowHeight) - this.overscan);
    const last = Math.min(n, Math.ceil((this.scroller.scrollTop + view) / this.rowHeight) + this.overscan);
    this.table.setAttribute('aria-rowcount', String(n + 1));
    this.top.firstChild.style.height = (first * this.rowHeight) + 'px';
    this.bottom.firstChild.style.height = ((n - last) * this.rowHeight) + 'px';
    const next = new Map();
    let cursor = this.top;
    for (let i = first; i < last; i++) {
      const item = this.items[i];
      const k = this.key(item);
      const fresh = this.renderRow(item, i);
      fresh.setAttribute('aria-rowindex', String(i + 2));
      let row = this.shown.get(k);
      if (row) {
        this.shown.delete(k);
        patch(row, fresh);
      } else {
        row = fresh;
      }
      next.set(k, row);
      if (cursor.nextSibling !== row) {
        cursor.after(row);
      }
      cursor = row;
    }
    for (const row of this.shown.values()) {
      row.remove();
    }
    this.shown = next;
    this.measure(next);
  }

  /** Takes the row height from the first row the browser lays out, then keeps it. */
  measure(rows) {
    if (this.measured || rows.size === 0) {
      return;
    }
    const height = rows.values().next().value.getBoundingClientRect().height;
    if (height > 0) {
      this.measured = true;
      if (Math.abs(height - this.rowHeight) > 0.5) {
        this.rowHeight = height;
        this.render();
      }
    }
  }
}

/** Makes row look like fresh, replacing only the cells (and attributes) that differ. */
function patch(row, fresh) {
  for (const attr of fresh.attributes) {
    if (row.getAttribute(attr.name) !== attr.value) {
      row.setAttribute(attr.name, attr.value);
    }
  }
  for (const attr of [...row.attributes]) {
    if (!fresh.hasAttribute(attr.name)) {
      row.removeAttribute(attr.name);
    }
  }
  const cells = [...fresh.children];
  cells.forEach((cell, i) => {
    const old = row.children[i];
    if (!old) {
      row.append(cell);
    } else if (old.outerHTML !== cell.outerHTML) {
      old.replaceWith(cell);
    }
  });
  while (row.children.length > cells.length) {
    row.lastElementChild.remove();
  }
}
