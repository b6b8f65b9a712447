// The event feed: the newest events first, at most MAX_EVENTS, added once per frame however many arrive.

import { $ } from './state.js';
import { eventItem } from './views.js';

const MAX_EVENTS = 200;

let feed = [];
let feedQueued = false;
export function queueEvent(event) {
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

export function clearFeed() {
  $('events-list').replaceChildren();
}
