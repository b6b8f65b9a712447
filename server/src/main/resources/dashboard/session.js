// Signing in with a token (kept in this tab's session storage by api.js), signing out, and what a refused token
// does: the login form again, with the reason.

import { ApiError, call, onUnauthorized, session } from './api.js';
import { clearCluster, renderBreaker } from './cluster.js';
import { clearDetail } from './detail.js';
import { clearFeed } from './feed.js';
import { stopLog } from './logs.js';
import { notice } from './notice.js';
import { events, stopReads } from './reads.js';
import { clearSets } from './sets.js';
import { $, canWrite, forget, state } from './state.js';

const refused = () => signedOut(state.caller === null ? 'The server refused this token (401).'
  : 'The server no longer accepts this token: sign in again.');
events.onUnauthorized = refused;
onUnauthorized(refused);

/** Shows the login form, or with a stored token asks who it is and starts the dashboard. */
export async function begin() {
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
  events.start();
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
  forget();
  stopReads();
  stopLog();
  clearCluster();
  clearDetail();
  clearFeed();
  clearSets();
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
