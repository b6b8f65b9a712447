// The cluster around the sets: the nodes, the leader and its epoch, the breaker (which an admin may close).

import { call } from './api.js';
import { act } from './notice.js';
import { $, canAdmin, state } from './state.js';
import { nodeRow } from './views.js';

export async function loadNodes() {
  const gen = state.generation;
  const nodes = await call('GET', '/nodes');
  if (gen !== state.generation) {
    return;
  }
  state.nodes = nodes;
  $('nodes-count').textContent = '(' + state.nodes.length + ')';
  $('nodes-body').replaceChildren(...state.nodes.map(nodeRow));
}

export async function loadLeader() {
  const gen = state.generation;
  const l = await call('GET', '/leader');
  if (gen !== state.generation) {
    return;
  }
  $('leader').textContent = l.leader ? l.leader + (l.isLeader ? ' (this server)' : '') : '⚠ none';
  $('epoch').textContent = String(l.epoch);
}

let breaker = null;
export async function loadBreaker() {
  const gen = state.generation;
  const b = await call('GET', '/breaker');
  if (gen === state.generation) {
    breaker = b;
    renderBreaker();
  }
}

export function renderBreaker() {
  if (!breaker) return;
  $('breaker').textContent = breaker.open ? '⚠ open: ' + breaker.reason : '✔ closed';
  $('breaker').className = breaker.open ? 'state-bad' : 'state-ok';
  $('breaker-reset').hidden = !(breaker.open && canAdmin());
}

export function clearCluster() {
  for (const id of ['leader', 'epoch', 'breaker', 'stream-state']) {
    $(id).textContent = '–';
  }
  $('breaker').className = '';
  breaker = null;
}

$('breaker-reset').addEventListener('click',
  () => act('breaker closed', () => call('PUT', '/breaker', { open: false })));
