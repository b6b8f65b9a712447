// What the page knows, shared by its modules: who is signed in, the sets, the selected one, the nodes.

export const $ = id => document.getElementById(id);

export const ROW_PX = 30; // --row in style.css; the lists measure the real height of their first row

export const state = {
  caller: null, // {name, role} from /whoami
  sets: new Map(),
  selected: null,
  detail: null, // the selected set's status
  nodes: [],
  loaded: false,
  log: null, // {id, controller}
  // Each sign-in is a generation: what a request of an earlier one brings back after logging out is dropped.
  generation: 0,
};

/** Forgets everything of the last sign-in; requests still under way are dropped when they answer. */
export function forget() {
  state.generation++;
  Object.assign(state, { caller: null, sets: new Map(), selected: null, detail: null, nodes: [], loaded: false });
}

// Timings for the benchmark and for people (the console): what the last full read and render took.
export const timings = window.shepherdTimings = {};

export function canWrite() {
  const c = state.caller;
  return c !== null && (c.role === 'operator' || c.role === 'admin');
}

export function canAdmin() {
  const c = state.caller;
  return c !== null && c.role === 'admin';
}
