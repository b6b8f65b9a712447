package io.shepherd.server.api;

import io.shepherd.server.events.EventJournal;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Ends the long-lived responses (event streams, followed logs) as soon as the server begins to stop: Jetty's
 * graceful shutdown waits for requests in progress, and these would otherwise hold it for its whole grace period.
 * Register it with {@code environment.lifecycle().addEventListener}.
 */
public final class StreamsCloser implements LifeCycle.Listener {
  private final EventJournal journal;
  private final LogProxy logs;

  public StreamsCloser(EventJournal journal, LogProxy logs) {
    this.journal = journal;
    this.logs = logs;
  }

  @Override
  public void lifeCycleStopping(LifeCycle event) {
    journal.close();
    logs.close();
  }
}
