// The page's state: read once in full, then again piece by piece as the event stream names what changed (no
// polling), coalescing bursts. A `gap` in the stream, or a reconnect that cannot resume, reads everything again.

import { loadBreaker, loadLeader, loadNodes } from './cluster.js';
import { loadDetail } from './detail.js';
import { EventStream } from './events.js';
import { queueEvent } from './feed.js';
import { notice, reportError } from './notice.js';
import { loadSets, refreshSet, renderSets } from './sets.js';
import { $, state, timings } from './state.js';

export const events = new EventStream({
  onOpen: () => { if (!state.loaded) loadAll(); },
  onEvent: event => received(event),
  onGap: gap => {
    notice('Some events may have been missed (' + (gap.message ?? 'gap') + '): reading everything again.');
    loadAll();
  },
  onState: text => { $('stream-state').textContent = text === 'live' ? '● live' : '○ ' + text; },
});

const dirty = { sets: new Set(), all: false, nodes: false, leader: false, breaker: false };
let flushTimer = null;
let flushing = false;

/** Stops the stream and forgets what it marked (signing out). */
export function stopReads() {
  events.stop();
  events.lastId = null;
  dirty.sets.clear();
  delete document.body.dataset.loaded;
}

function received(event) {
  queueEvent(event);
  if (event.replicaSet) {
    dirty.sets.add(event.replicaSet);
  }
  switch (event.type) {
    case 'LEADER_CHANGED': dirty.leader = true; break;
    case 'BREAKER': dirty.breaker = true; break;
    case 'NODE_UP': case 'NODE_DOWN': case 'GATEWAY_PORTS': case 'ASSIGNED': case 'STOPPED': case 'INSTANCE_DOWN':
      dirty.nodes = true; break;
    default: break;
  }
  schedule();
}

function schedule() {
  if (state.loaded && !flushing && flushTimer === null) {
    flushTimer = setTimeout(flush, 30);
  }
}

/** Reads again what events marked, a burst at a time: many sets at once are one list read. */
async function flush() {
  flushTimer = null;
  flushing = true;
  const gen = state.generation;
  try {
    const names = [...dirty.sets];
    dirty.sets.clear();
    const jobs = [];
    if (dirty.all || names.length > 50) {
      dirty.all = false;
      jobs.push(loadSets());
      if (state.selected) jobs.push(loadDetail(state.selected));
    } else {
      jobs.push(runLimited(names.map(n => () => (n === state.selected ? loadDetail(n) : refreshSet(n))), 6));
    }
    if (dirty.nodes) { dirty.nodes = false; jobs.push(loadNodes()); }
    if (dirty.leader) { dirty.leader = false; jobs.push(loadLeader()); }
    if (dirty.breaker) { dirty.breaker = false; jobs.push(loadBreaker()); }
    await Promise.all(jobs.map(j => j.catch(reportError)));
    if (gen === state.generation) {
      renderSets();
    }
  } finally {
    flushing = false;
    if (dirty.sets.size > 0 || dirty.all || dirty.nodes || dirty.leader || dirty.breaker) {
      schedule();
    }
  }
}

async function runLimited(tasks, limit) {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      await tasks[next++]().catch(reportError);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

export async function loadAll() {
  const t0 = performance.now();
  const gen = state.generation;
  try {
    await Promise.all([loadSets(), loadNodes(), loadLeader(), loadBreaker()]);
    if (gen !== state.generation) {
      return;
    }
    const t1 = performance.now();
    renderSets();
    const t2 = performance.now();
    if (state.selected) {
      await loadDetail(state.selected);
    }
    state.loaded = true;
    requestAnimationFrame(() => {
      Object.assign(timings, {
        readMs: t1 - t0, renderMs: t2 - t1, shownAt: performance.now(), sets: state.sets.size,
      });
      document.body.dataset.loaded = 'true';
    });
    schedule();
  } catch (e) {
    reportError(e);
  }
}
