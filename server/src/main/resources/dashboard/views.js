// How each piece of state is shown. State is never told by colour alone: every state has its words and a symbol.

import { h } from './rows.js';

/** "1h 02m", "3m 07s", "12s". */
export function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return s + 's';
  const m = Math.floor(s / 60);
  if (m < 60) return m + 'm ' + String(s % 60).padStart(2, '0') + 's';
  const hours = Math.floor(m / 60);
  if (hours < 48) return hours + 'h ' + String(m % 60).padStart(2, '0') + 'm';
  return Math.floor(hours / 24) + 'd ' + (hours % 24) + 'h';
}

export function clock(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour12: false });
}

/** A set's rollout record (the status' `rollout`) as the detail shows it; null before the leader's first look. */
export function rolloutOf(r) {
  if (!r) return null;
  return {
    state: r.state, from: r.fromRevision, to: r.toRevision, updated: r.updated, ready: r.ready,
    available: r.available, desired: r.desired, reason: r.reason, message: r.message ?? '',
    startedBy: r.startedBy, revertedFrom: r.revertedFrom ?? null,
  };
}

/** The revision a set's copies should run (0 before the leader's first look). */
export function revisionOf(x) {
  return x?.revision ?? null;
}

/** "progressing 1/3 updated": a rollout's state and progress ({state, updated, desired}), or "—" without one. */
export function rolloutText(r) {
  if (!r || !r.state) return '—';
  const progress = r.updated != null && r.desired != null ? ` ${r.updated}/${r.desired} updated` : '';
  return String(r.state).toLowerCase() + progress;
}

/** The state of a set in words, with a symbol and a class: [text, class]. */
export function setState(s) {
  if (s.deleting) return ['⌛ deleting', 'state-warn'];
  if (s.consecutiveFailures > 0) {
    return ['⚠ crash loop: ' + s.consecutiveFailures + (s.consecutiveFailures === 1 ? ' failure' : ' failures'),
      'state-bad'];
  }
  if (s.live === s.desired && s.ready === s.desired && s.pending === 0) return ['✔ ready', 'state-ok'];
  if (s.live > s.desired) return ['◐ scaling down', 'state-warn'];
  return ['◐ converging', 'state-warn'];
}

/** The part of a set's status (GET /replicasets/{name}) the list shows. */
export function summaryOf(status) {
  const r = status.rollout;
  return {
    name: status.name, version: status.version, desired: status.desired, live: status.live,
    pending: status.pending, ready: status.ready, deleting: status.deleting,
    consecutiveFailures: status.consecutiveFailures, revision: status.revision,
    rollout: r ? { state: r.state, updated: r.updated, desired: r.desired } : null,
  };
}

/** A line of the list (GET /replicasets) in the shape summaryOf() gives: both are shown alike. */
export function listedSummary(s) {
  return {
    name: s.name, version: s.version, desired: s.desired, live: s.live, pending: s.pending, ready: s.ready,
    deleting: s.deleting, consecutiveFailures: s.consecutiveFailures, revision: s.revision,
    rollout: s.rolloutState ? { state: s.rolloutState, updated: s.rolloutUpdated, desired: s.rolloutDesired } : null,
  };
}

export function setRow(s, selected) {
  const [state, cls] = setState(s);
  return h('tr', { 'data-set': s.name, class: s.name === selected ? 'selected' : null,
    'aria-selected': s.name === selected ? 'true' : null },
    h('td', { class: 'c-name' }, h('button', { type: 'button', class: 'link', 'data-action': 'open',
      'data-name': s.name, 'aria-label': 'Open replica set ' + s.name }, s.name)),
    h('td', { class: 'c-desired num' }, s.desired),
    h('td', { class: 'c-live num' }, s.live),
    h('td', { class: 'c-ready num' }, s.ready),
    h('td', { class: 'c-pending num' }, s.pending),
    h('td', { class: 'c-rev num' }, revisionOf(s) ?? '—'),
    h('td', { class: 'c-rollout' }, rolloutText(s.rollout)),
    h('td', { class: 'c-state ' + cls }, state));
}

export function ports(p) {
  const entries = Object.entries(p ?? {});
  return entries.length === 0 ? '—' : entries.map(([k, v]) => k + '=' + v).join(' ');
}

export function lastExit(e) {
  if (!e) return '—';
  return (e.code < 0 ? 'signal ' + (-e.code) : 'exit ' + e.code) + ' at ' + clock(e.at);
}

export function copyRow(c, now, canWrite, logOf) {
  return h('tr', { 'data-copy': c.id },
    h('td', { class: 'c-id' }, c.id),
    h('td', { class: 'c-ready ' + (c.ready ? 'state-ok' : 'state-bad') }, c.ready ? '✔ ready' : '✖ not ready'),
    h('td', { class: 'c-node' }, c.node),
    h('td', { class: 'c-host' }, c.host),
    h('td', { class: 'c-ports' }, ports(c.ports)),
    h('td', { class: 'c-pid num' }, c.pid),
    h('td', { class: 'c-uptime num' }, duration(now - Date.parse(c.startedAt))),
    h('td', { class: 'c-restarts num' }, c.restarts ?? 0),
    h('td', { class: 'c-exit' }, lastExit(c.lastExit)),
    h('td', { class: 'c-actions' }, canWrite ? h('span', { class: 'actions' },
      h('button', { type: 'button', 'data-action': 'log', 'data-id': c.id,
        'aria-pressed': logOf === c.id ? 'true' : 'false',
        'aria-label': 'Follow the log of ' + c.id }, 'Log'),
      h('button', { type: 'button', 'data-action': 'restart', 'data-id': c.id,
        'aria-label': 'Restart ' + c.id + ' in place' }, 'Restart'),
      h('button', { type: 'button', 'data-action': 'kill', 'data-id': c.id,
        'aria-label': 'Kill ' + c.id + ' (it is replaced)' }, 'Kill')) : '—'));
}

export function nodeRow(n) {
  const pct = n.capacity > 0 ? Math.round(100 * n.used / n.capacity) : 0;
  const full = n.used >= n.capacity;
  return h('tr', { 'data-node': n.id },
    h('td', {}, n.id),
    h('td', {}, n.host),
    h('td', { class: full ? 'state-warn' : null }, `${n.used} / ${n.capacity} (${pct}%)` + (full ? ' ⚠ full' : '')),
    h('td', {}, Object.entries(n.labels ?? {}).map(([k, v]) => k + '=' + v).join(', ') || '—'),
    h('td', {}, clock(n.startedAt)),
    h('td', { class: 'c-gateway' }, gatewayOf(n.refusedPorts ?? [])));
}

/** The exposed ports a node's gateway does not listen on, each in words with the agent's reason; '—' for none. */
function gatewayOf(refused) {
  if (refused.length === 0) return '—';
  return h('ul', { class: 'refused' }, refused.map(r => h('li', { class: 'state-warn', 'data-port': r.port },
    `⚠ port ${r.port} (${r.replicaSet}) not served: `, h('span', { class: 'reason' }, r.reason))));
}

export function eventItem(e) {
  const about = [e.replicaSet, e.instance, e.node].filter(Boolean).join(' / ');
  return h('li', { 'data-event': e.id, 'data-type': e.type },
    h('time', { datetime: e.time }, clock(e.time)),
    h('span', { class: 'type' }, e.type),
    about ? h('span', { class: 'muted' }, about + ': ') : null,
    e.message);
}

export function revisionItem(r) {
  const n = r.revision;
  return h('li', { value: n },
    h('strong', {}, 'revision ' + n), ' ', clock(r.createdAt), ' by ' + r.createdBy,
    r.cause === 'RESTART' ? ' (rolling restart)' : '',
    r.template?.command ? h('code', {}, ' ' + r.template.command.join(' ')) : null,
    r.restores?.length ? h('ul', { class: 'restores' }, ...r.restores.map(restoreItem)) : null);
}

/** A time a revision was brought back: by a user's undo, or by the leader after a failed rollout. */
function restoreItem(x) {
  const why = x.reason === 'UNDO' ? 'undo' : 'automatic revert: ' + x.reason;
  return h('li', {}, 'brought back ', clock(x.at), ' by ' + x.by + ` from revision ${x.fromRevision} (${why})`);
}
