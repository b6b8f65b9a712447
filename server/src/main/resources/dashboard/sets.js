// The list of replica sets: virtualised, filtered by name, sorted (a set's name opens it: detail.js).

import { ApiError, call, path } from './api.js';
import { VirtualRows } from './rows.js';
import { $, ROW_PX, state } from './state.js';
import { listedSummary, setRow, summaryOf } from './views.js';

const setRows = new VirtualRows({
  scroller: $('sets-scroller'), tbody: $('sets-body'), columns: 8, rowHeight: ROW_PX,
  key: s => s.name, renderRow: s => setRow(s, state.selected),
});

export async function loadSets() {
  const gen = state.generation;
  const list = await call('GET', '/replicasets');
  if (gen !== state.generation) {
    return;
  }
  const sets = new Map();
  for (const s of list) {
    sets.set(s.name, listedSummary(s));
  }
  state.sets = sets;
}

/** Reads one set that is not open again (GET /replicasets/{name}); gone, it leaves the list. */
export async function refreshSet(name) {
  const gen = state.generation;
  try {
    const status = await call('GET', path('replicasets', name));
    if (gen === state.generation) {
      state.sets.set(name, summaryOf(status));
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      state.sets.delete(name);
    } else {
      throw e;
    }
  }
}

function visibleSets() {
  const filter = $('filter').value.trim().toLowerCase();
  const all = [...state.sets.values()];
  const shown = filter ? all.filter(s => s.name.toLowerCase().includes(filter)) : all;
  return shown.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function renderSets() {
  const shown = visibleSets();
  $('sets-count').textContent = shown.length === state.sets.size
    ? `(${state.sets.size})` : `(${shown.length} of ${state.sets.size})`;
  setRows.setItems(shown);
}

export function clearSets() {
  setRows.setItems([]);
}

$('filter').addEventListener('input', () => renderSets());

