package io.shepherd.server.events;

import io.dropwizard.lifecycle.Managed;

/**
 * Starts the feed with the application and stops it, and the journal's subscriptions, with it. Manage it after the
 * controller: the feed uses the cluster view the controller fills.
 */
public final class ManagedEvents implements Managed {
  private final EventFeed feed;
  private final EventJournal journal;

  public ManagedEvents(EventFeed feed, EventJournal journal) {
    this.feed = feed;
    this.journal = journal;
  }

  @Override
  public void start() {
    feed.start();
  }

  @Override
  public void stop() {
    feed.close();
    journal.close();
  }
}
