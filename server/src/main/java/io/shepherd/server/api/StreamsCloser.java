package io.shepherd.server.api;

import io.shepherd.server.events.EventJournal;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Ends the long-lived responses (event streams) as soon as the server begins to stop: Jetty's
 * graceful shutdown waits for requests in progress, and these would otherwise hold it for its whole grace period.
 * Register it with {@code environment.lifecycle().addEventListener}.
 */
public final class StreamsCloser implements LifeCycle.Listener {
  private final EventJournal journal;

  public StreamsCloser(EventJournal journal) {
    this.journal = journal;
  }

  @Override
  public void lifeCycleStopping(LifeCycle event) {
    journal.close();
  }
}
