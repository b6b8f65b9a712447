// A copy's log, followed as it is written (GET .../instances/{id}/logs?follow=true, read as a stream).

import { path, stream } from './api.js';
import { $, state } from './state.js';

const MAX_LOG_CHARS = 256 * 1024;

let changed = () => {};

/** What to do when the followed copy changes (its row's Log button shows which one is followed). */
export function onLogChange(handler) { changed = handler; }

export async function followLog(name, id) {
  stopLog();
  const controller = new AbortController();
  state.log = { id, controller };
  changed();
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

export function stopLog() {
  if (state.log) {
    state.log.controller.abort();
    $('log-heading').textContent = 'Log of ' + state.log.id + ' (stopped)';
    state.log = null;
    changed();
  }
}

$('log-stop').addEventListener('click', () => stopLog());
$('log-close').addEventListener('click', () => { stopLog(); $('log').hidden = true; });
