package io.shepherd.server.events;

import io.dropwizard.lifecycle.Managed;

/**
 * Closes the journal's subscriptions when the application stops. The feed needs no lifecycle of its own: it is a
 * listener of the controller's ingest, fed while that runs.
 */
public final class ManagedEvents implements Managed {
  private final EventJournal journal;

  public ManagedEvents(EventJournal journal) {
    this.journal = journal;
  }

  @Override
  public void start() {
  }

  @Override
  public void stop() {
    journal.close();
  }
}
