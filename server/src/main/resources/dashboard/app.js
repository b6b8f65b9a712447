// The dashboard: initial state from the REST reads, then every change from the event stream (no polling). An event
// names what it concerns; the page reads that again (a replica set, the nodes, the leader, the breaker), coalescing
// bursts. A `gap` in the stream, or a reconnect that cannot resume, reads everything again.

import { ApiError, call, onUnauthorized, path, session, stream } from './api.js';
import { EventStream } from './events.js';
import { VirtualRows } from './rows.js';
import {
  copyRow, eventItem, listedSummary, nodeRow, revisionItem, rolloutOf, rolloutText, setRow, setState, summaryOf,
} from './views.js';

const $ = id => document.getElementById(id);
const ROW_PX = 30; // --row in style.css; the lists measure the real height of their first row
const MAX_EVENTS = 200;
const MAX_LOG_CHARS = 256 * 1024;

const state = {
  caller: null, // {name, role} from /whoami
  sets: new Map(),
  selected: null,
  detail: null, // the selected set's status
  nodes: [],
  loaded: false,
  log: null, // {id, controller}
};

// Each sign-in is a generation: what a request of an earlier one brings back after logging out is dropped.
let generation = 0;

// Timings for the benchmark and for people (the console): what the last full read and render took.
window.shepherdTimings = {};

const stream$ = new EventStream({
  onOpen: () => { if (!state.loaded) loadAll(); },
  onEvent: event => received(event),
  onGap: gap => {
    notice('Some events may have been missed (' + (gap.message ?? 'gap') + '): reading everything again.');
    loadAll();
  },
  onState: text => { $('stream-state').textContent = text === 'live' ? '● live' : '○ ' + text; },
});
const refused = () => signedOut(state.caller === null ? 'The server refused this token (401).'
  : 'The server no longer accepts this token: sign in again.');
stream$.onUnauthorized = refused;
onUnauthorized(refused);

// ---- session -------------------------------------------------------------------------------------------------

async function begin() {
  if (!session.token()) {
    showLogin('');
    return;
  }
  let caller;
  try {
    caller = await call('GET', '/whoami');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      return; // signedOut() already showed the login form
    } else if (e instanceof ApiError && e.status === 403) {
      session.clear();
      showLogin('This token may not read this server (403).');
      return;
    } else {
      showLogin('Cannot reach the server: ' + e.message);
      return;
    }
  }
  state.caller = caller;
  showApp();
  stream$.start();
}

function canWrite() {
  const c = state.caller;
  return c !== null && (c.role === 'operator' || c.role === 'admin');
}

function canAdmin() {
  const c = state.caller;
  return c !== null && c.role === 'admin';
}

function showLogin(error) {
  $('app-view').hidden = true;
  $('who').hidden = true;
  $('login-view').hidden = false;
  $('login-error').textContent = error;
  $('token').value = '';
  $('token').focus();
}

function showApp() {
  const c = state.caller;
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = `${c.name} (${c.role})`;
  document.body.dataset.role = c.role;
  for (const el of document.querySelectorAll('.write')) {
    el.hidden = !canWrite();
  }
  renderBreaker();
}

function signedOut(message) {
  stopEverything();
  session.clear();
  showLogin(message);
}

function stopEverything() {
  generation++;
  stream$.stop();
  stream$.lastId = null;
  stopLog();
  Object.assign(state, { caller: null, sets: new Map(), selected: null, detail: null, nodes: [], loaded: false });
  dirty.sets.clear();
  delete document.body.dataset.loaded;
  for (const id of ['leader', 'epoch', 'breaker', 'stream-state']) {
    $(id).textContent = '–';
  }
  $('breaker').className = '';
  breaker = null;
  $('detail').hidden = true;
  $('events-list').replaceChildren();
  setRows.setItems([]);
  copyRows.setItems([]);
}

$('login').addEventListener('submit', event => {
  event.preventDefault();
  const token = $('token').value.trim();
  if (!token) {
    $('login-error').textContent = 'Enter a token.';
    return;
  }
  session.save(token);
  $('token').value = '';
  begin();
});

$('logout').addEventListener('click', () => {
  stopEverything();
  session.clear();
  showLogin('');
  notice('Logged out.');
});

// ---- reading state -------------------------------------------------------------------------------------------

const dirty = { sets: new Set(), all: false, nodes: false, leader: false, breaker: false };
let flushTimer = null;
let flushing = false;

function received(event) {
  queueEvent(event);
  if (event.replicaSet) {
    dirty.sets.add(event.replicaSet);
  }
  switch (event.type) {
    case 'LEADER_CHANGED': dirty.leader = true; break;
    case 'BREAKER': dirty.breaker = true; break;
    case 'NODE_UP': case 'NODE_DOWN': case 'ASSIGNED': case 'STOPPED': case 'INSTANCE_DOWN': dirty.nodes = true; break;
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
  const gen = generation;
  try {
    const names = [...dirty.sets];
    dirty.sets.clear();
    const jobs = [];
    if (dirty.all || names.length > 50) {
      dirty.all = false;
      jobs.push(loadSets());
      if (state.selected) jobs.push(loadDetail(state.selected));
    } else {
      jobs.push(runLimited(names.map(n => () => refreshSet(n)), 6));
    }
    if (dirty.nodes) { dirty.nodes = false; jobs.push(loadNodes()); }
    if (dirty.leader) { dirty.leader = false; jobs.push(loadLeader()); }
    if (dirty.breaker) { dirty.breaker = false; jobs.push(loadBreaker()); }
    await Promise.all(jobs.map(j => j.catch(reportError)));
    if (gen === generation) {
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

async function loadAll() {
  const t0 = performance.now();
  const gen = generation;
  try {
    await Promise.all([loadSets(), loadNodes(), loadLeader(), loadBreaker()]);
    if (gen !== generation) {
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
      Object.assign(window.shepherdTimings, {
        readMs: t1 - t0, renderMs: t2 - t1, shownAt: performance.now(), sets: state.sets.size,
      });
      document.body.dataset.loaded = 'true';
    });
    schedule();
  } catch (e) {
    reportError(e);
  }
}

async function loadSets() {
  const gen = generation;
  const list = await call('GET', '/replicasets');
  if (gen !== generation) {
    return;
  }
  const sets = new Map();
  for (const s of list) {
    sets.set(s.name, listedSummary(s));
  }
  state.sets = sets;
}

async function refreshSet(name) {
  if (name === state.selected) {
    await loadDetail(name);
    return;
  }
  const gen = generation;
  try {
    const status = await call('GET', path('replicasets', name));
    if (gen === generation) {
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

async function loadNodes() {
  const gen = generation;
  const nodes = await call('GET', '/nodes');
  if (gen !== generation) {
    return;
  }
  state.nodes = nodes;
  $('nodes-count').textContent = '(' + state.nodes.length + ')';
  $('nodes-body').replaceChildren(...state.nodes.map(nodeRow));
}

async function loadLeader() {
  const gen = generation;
  const l = await call('GET', '/leader');
  if (gen !== generation) {
    return;
  }
  $('leader').textContent = l.leader ? l.leader + (l.isLeader ? ' (this server)' : '') : '⚠ none';
  $('epoch').textContent = String(l.epoch);
}

let breaker = null;
async function loadBreaker() {
  const gen = generation;
  const b = await call('GET', '/breaker');
  if (gen === generation) {
    breaker = b;
    renderBreaker();
  }
}

function renderBreaker() {
  if (!breaker) return;
  $('breaker').textContent = breaker.open ? '⚠ open: ' + breaker.reason : '✔ closed';
  $('breaker').className = breaker.open ? 'state-bad' : 'state-ok';
  $('breaker-reset').hidden = !(breaker.open && canAdmin());
}

// ---- the list of sets ----------------------------------------------------------------------------------------

const setRows = new VirtualRows({
  scroller: $('sets-scroller'), tbody: $('sets-body'), columns: 8, rowHeight: ROW_PX,
  key: s => s.name, renderRow: s => setRow(s, state.selected),
});

function visibleSets() {
  const filter = $('filter').value.trim().toLowerCase();
  const all = [...state.sets.values()];
  const shown = filter ? all.filter(s => s.name.toLowerCase().includes(filter)) : all;
  return shown.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function renderSets() {
  const shown = visibleSets();
  $('sets-count').textContent = shown.length === state.sets.size
    ? `(${state.sets.size})` : `(${shown.length} of ${state.sets.size})`;
  setRows.setItems(shown);
}

$('filter').addEventListener('input', () => renderSets());

$('sets-body').addEventListener('click', event => {
  const button = event.target.closest('button[data-action="open"]');
  if (button) {
    // The set's details are below the list: keyboard users go there at once; Close brings them back.
    select(button.dataset.name).then(() => $('detail-heading').focus());
  }
});

// ---- one set -------------------------------------------------------------------------------------------------

const copyRows = new VirtualRows({
  scroller: $('copies-scroller'), tbody: $('copies-body'), columns: 10, rowHeight: ROW_PX,
  key: c => c.id, renderRow: c => copyRow(c, Date.now(), canWrite(), state.log?.id),
});

async function select(name) {
  const t0 = performance.now();
  if (state.selected !== name) {
    stopLog();
    $('log').hidden = true;
  }
  state.selected = name;
  $('detail').hidden = false;
  $('detail-name').textContent = name;
  renderSets();
  try {
    await loadDetail(name);
    $('scale-input').value = state.detail?.desired ?? '';
    window.shepherdTimings.detailMs = performance.now() - t0;
  } catch (e) {
    reportError(e);
  }
}

$('detail-close').addEventListener('click', () => {
  const name = state.selected;
  stopLog();
  state.selected = null;
  state.detail = null;
  $('detail').hidden = true;
  renderSets();
  document.querySelector(`button[data-action="open"][data-name="${CSS.escape(name ?? '')}"]`)?.focus();
});

async function loadDetail(name) {
  const gen = generation;
  let status;
  try {
    status = await call('GET', path('replicasets', name));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      state.sets.delete(name);
      if (state.selected === name) {
        $('detail-summary').textContent = 'This replica set no longer exists.';
        state.detail = null;
        copyRows.setItems([]);
        $('rollout').hidden = true;
        $('revisions').hidden = true;
      }
      return;
    }
    throw e;
  }
  const revisions = await call('GET', path('replicasets', name, 'revisions')).catch(e => {
    if (e instanceof ApiError && e.status === 404) return null; // deleted between the two reads: the next event says so
    throw e;
  });
  if (gen !== generation) {
    return;
  }
  state.sets.set(name, summaryOf(status));
  if (state.selected !== name) {
    return;
  }
  state.detail = status;
  renderDetail(status, revisions);
}

function renderDetail(status, revisions) {
  const [text] = setState(summaryOf(status));
  $('detail-summary').textContent = `${status.desired} desired, ${status.live} live, `
    + `${status.ready} ready, ${status.pending} pending; spec version ${status.version}; ${text}`;
  $('detail-message').textContent = status.message ? '⚠ ' + status.message : '';
  const scale = $('scale-input');
  if (document.activeElement !== scale && scale.value === '') {
    scale.value = status.desired;
  }
  $('copies-count').textContent = '(' + status.instances.length + ')';
  copyRows.setItems(status.instances);

  const r = rolloutOf(status.rollout);
  $('rollout').hidden = !r;
  if (r) {
    $('rollout-state').textContent = 'State: ' + rolloutText(r)
      + (r.from !== undefined && r.to !== undefined ? `; revision ${r.from} → ${r.to}` : '')
      + (r.reason ? '; ' + r.reason : '') + (r.message ? ': ' + r.message : '');
  }
  $('revisions').hidden = !Array.isArray(revisions);
  if (Array.isArray(revisions)) {
    $('revisions-list').replaceChildren(...revisions.map(revisionItem));
  }
}

$('scale-form').addEventListener('submit', async event => {
  event.preventDefault();
  const name = state.selected;
  const replicas = Number($('scale-input').value);
  await act(`scaled ${name} to ${replicas}`, () => call('PUT', path('replicasets', name, 'replicas'), { replicas }));
});

$('copies-body').addEventListener('click', async event => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const name = state.selected;
  const id = button.dataset.id;
  switch (button.dataset.action) {
    case 'restart':
      await act(`asked to restart ${id}`, () => call('POST', path('replicasets', name, 'instances', id, 'restart')));
      break;
    case 'kill':
      await act(`asked to stop ${id}; it will be replaced`,
        () => call('DELETE', path('replicasets', name, 'instances', id)));
      break;
    case 'log':
      followLog(name, id);
      break;
    default:
      break;
  }
});

$('rollout-actions').addEventListener('click', async event => {
  const button = event.target.closest('button[data-rollout]');
  if (!button) return;
  const name = state.selected;
  const what = button.dataset.rollout;
  await act(`rollout of ${name}: ${what}`, () => call('POST', path('replicasets', name, 'rollout', what),
    what === 'undo' ? {} : undefined));
});

$('breaker-reset').addEventListener('click',
  () => act('breaker closed', () => call('PUT', '/breaker', { open: false })));

/** Runs a write and says how it went; its effect shows when the events it causes arrive. */
async function act(done, request) {
  try {
    await request();
    notice('✔ ' + done);
  } catch (e) {
    notice('✖ ' + (e.field ? e.field + ': ' : '') + e.message + (e.status ? ' (' + e.status + ')' : ''));
  }
}

// ---- a copy's log --------------------------------------------------------------------------------------------

async function followLog(name, id) {
  stopLog();
  const controller = new AbortController();
  state.log = { id, controller };
  copyRows.render();
  $('log').hidden = false;
  $('log-heading').textContent = 'Log of ' + id + ' (following)';
  const pre = $('log-text');
  pre.textContent = '';
  try {
    const response = await stream(path('replicasets', name, 'instances', id, 'logs') + '?tail=200&follow=true',
      { signal: controller.signal });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      const stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.append(value);
      if (pre.textContent.length > MAX_LOG_CHARS) {
        pre.textContent = pre.textContent.slice(-MAX_LOG_CHARS / 2);
      }
      if (stick) pre.scrollTop = pre.scrollHeight;
    }
    $('log-heading').textContent = 'Log of ' + id + ' (ended)';
  } catch (e) {
    if (!controller.signal.aborted) {
      $('log-heading').textContent = 'Log of ' + id + ': ' + e.message;
    }
  }
}

function stopLog() {
  if (state.log) {
    state.log.controller.abort();
    $('log-heading').textContent = 'Log of ' + state.log.id + ' (stopped)';
    state.log = null;
    copyRows.render();
  }
}

$('log-stop').addEventListener('click', () => stopLog());
$('log-close').addEventListener('click', () => { stopLog(); $('log').hidden = true; });

// ---- the event feed ------------------------------------------------------------------------------------------

let feed = [];
let feedQueued = false;
function queueEvent(event) {
  feed.push(event);
  if (feed.length > MAX_EVENTS) feed = feed.slice(-MAX_EVENTS);
  if (!feedQueued) {
    feedQueued = true;
    requestAnimationFrame(() => {
      feedQueued = false;
      const list = $('events-list');
      list.prepend(...feed.reverse().map(eventItem));
      feed = [];
      while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
    });
  }
}

// ---- odds and ends -------------------------------------------------------------------------------------------

let noticeTimer = null;
function notice(text) {
  $('notice').textContent = text;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { $('notice').textContent = ''; }, 8000);
}

function reportError(e) {
  if (e instanceof ApiError && e.status === 401) return;
  notice('✖ ' + e.message);
}

// Uptimes move with the clock; only the rows in view are touched (no request is made).
setInterval(() => { if (state.detail) copyRows.render(); }, 1000);

begin();
