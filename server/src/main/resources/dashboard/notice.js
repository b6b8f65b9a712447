// The banner that says how an action went, or what failed.

import { ApiError } from './api.js';
import { $ } from './state.js';

let noticeTimer = null;
export function notice(text) {
  $('notice').textContent = text;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { $('notice').textContent = ''; }, 8000);
}

export function reportError(e) {
  if (e instanceof ApiError && e.status === 401) return;
  notice('✖ ' + e.message);
}

/** Runs a write and says how it went; its effect shows when the events it causes arrive. */
export async function act(done, request) {
  try {
    await request();
    notice('✔ ' + done);
  } catch (e) {
    notice('✖ ' + (e.field ? e.field + ': ' : '') + e.message + (e.status ? ' (' + e.status + ')' : ''));
  }
}
