// One replica set, opened from the list: its counts, copies, rollout and revisions, and the actions on them.

import { ApiError, call, path } from './api.js';
import { followLog, onLogChange, stopLog } from './logs.js';
import { act, reportError } from './notice.js';
import { VirtualRows } from './rows.js';
import { renderSets } from './sets.js';
import { $, ROW_PX, canWrite, state, timings } from './state.js';
import { copyRow, revisionItem, rolloutOf, rolloutText, setState, summaryOf } from './views.js';

const copyRows = new VirtualRows({
  scroller: $('copies-scroller'), tbody: $('copies-body'), columns: 10, rowHeight: ROW_PX,
  key: c => c.id, renderRow: c => copyRow(c, Date.now(), canWrite(), state.log?.id),
});
onLogChange(() => copyRows.render());

export async function select(name) {
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
    timings.detailMs = performance.now() - t0;
  } catch (e) {
    reportError(e);
  }
}

$('sets-body').addEventListener('click', event => {
  const button = event.target.closest('button[data-action="open"]');
  if (button) {
    // The set's details are below the list: keyboard users go there at once; Close brings them back.
    select(button.dataset.name).then(() => $('detail-heading').focus());
  }
});

$('detail-close').addEventListener('click', () => {
  const name = state.selected;
  stopLog();
  state.selected = null;
  state.detail = null;
  $('detail').hidden = true;
  renderSets();
  document.querySelector(`button[data-action="open"][data-name="${CSS.escape(name ?? '')}"]`)?.focus();
});

export async function loadDetail(name) {
  const gen = state.generation;
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
  if (gen !== state.generation) {
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

export function clearDetail() {
  $('detail').hidden = true;
  copyRows.setItems([]);
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

// Uptimes move with the clock; only the rows in view are touched (no request is made).
setInterval(() => { if (state.detail) copyRows.render(); }, 1000);
