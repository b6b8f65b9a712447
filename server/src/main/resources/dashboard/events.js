// The event stream (GET /api/v1/events) read with fetch() and a stream reader: EventSource cannot send an
// Authorization header. Resumes after the last id it saw with Last-Event-ID; a `gap` frame means some events may be
// missing, and the page reads the whole state again.

import { authHeaders } from './api.js';

/**
 * A parser of the text/event-stream format: feed it text as it arrives, it calls onFrame({id, event, data}) for
 * each complete frame (data lines joined with "\n"; id undefined when the frame has none). Comments are skipped.
 */
export function sseParser(onFrame) {
  let buffer = '';
  let frame = { data: [] };
  function line(text) {
    if (text === '') {
      if (frame.data.length > 0 || frame.id !== undefined || frame.event !== undefined) {
        onFrame({ id: frame.id, event: frame.event ?? 'message', data: frame.data.join('\n') });
      }
      frame = { data: [] };
      return;
    }
    if (text.startsWith(':')) {
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'data') {
      frame.data.push(value);
    } else if (field === 'event') {
      frame.event = value;
    } else if (field === 'id' && !value.includes('\0')) {
      frame.id = value;
    }
  }
  let skipLf = false; // the last chunk ended with "\r": a "\n" first in this one belongs to it
  return function push(chunk) {
    buffer += chunk;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (skipLf) {
        skipLf = false;
        if (c === '\n') {
          start = i + 1;
          continue;
        }
      }
      if (c === '\n' || c === '\r') {
        line(buffer.slice(start, i));
        if (c === '\r') {
          if (i + 1 === buffer.length) {
            skipLf = true;
          } else if (buffer[i + 1] === '\n') {
            i++;
          }
        }
        start = i + 1;
      }
    }
    buffer = buffer.slice(start);
  };
}

/**
 * Keeps one event stream open: reconnects after a pause when it ends or fails, resuming after the last id seen.
 * Callbacks: onOpen() once the server answered (the subscription exists: whatever happens next is in the stream),
 * onEvent(event) for each cluster event, onGap(gap), onState(text) for the connection's state, for people.
 */
export class EventStream {
  constructor({ onOpen, onEvent, onGap, onState }) {
    this.onOpen = onOpen;
    this.onEvent = onEvent;
    this.onGap = onGap;
    this.onState = onState;
    this.lastId = null;
    this.controller = null;
    this.stopped = true;
    this.retryMs = 500;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.controller?.abort();
    clearTimeout(this.timer);
  }

  async connect() {
    if (this.stopped) {
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    const headers = authHeaders({ Accept: 'text/event-stream' });
    if (this.lastId !== null) {
      headers['Last-Event-ID'] = this.lastId;
    }
    this.onState('connecting');
    try {
      const response = await fetch('/api/v1/events', { headers, signal: controller.signal, cache: 'no-store' });
      if (response.status === 401) {
        this.onState('refused (401)');
        this.onUnauthorized?.();
        return;
      }
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      this.retryMs = 500;
      this.onState('live');
      this.onOpen();
      const push = sseParser(frame => this.frame(frame));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      while (true) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        push(value);
      }
      this.onState('reconnecting');
    } catch (e) {
      if (controller.signal.aborted) {
        return;
      }
      this.onState('reconnecting (' + e.message + ')');
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    }
  }

  frame({ id, event, data }) {
    if (id !== undefined && id !== '') {
      this.lastId = id;
    }
    if (event === 'gap') {
      this.onGap(data ? JSON.parse(data) : {});
    } else if (data) {
      this.onEvent(JSON.parse(data));
    }
  }
}
