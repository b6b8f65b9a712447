// The dashboard. Its modules, each a part of the page:
//   session.js  signing in and out with a token          reads.js   the first read, then the event stream
//   sets.js     the list of replica sets                 detail.js  one set: copies, rollout, revisions, actions
//   cluster.js  nodes, leader and epoch, the breaker     logs.js    a copy's log, followed
//   feed.js     the event feed                           notice.js  how an action went
// state.js holds what they share; api.js, events.js, rows.js and views.js are the plumbing and the markup.

import { begin } from './session.js';

begin();
