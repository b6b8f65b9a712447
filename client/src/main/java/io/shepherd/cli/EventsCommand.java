package io.shepherd.cli;

import io.shepherd.api.Event;
import io.shepherd.api.EventGap;
import io.shepherd.client.EventListener;
import io.shepherd.client.EventSubscription;
import io.shepherd.client.ShepherdClient;
import io.shepherd.client.ShepherdException;
import io.shepherd.client.UnavailableException;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "events", mixinStandardHelpOptions = true,
    description = {
        "Follows the cluster's events (copies up and down, assignments, scaling, leader changes) until interrupted.",
        "A broken stream is resumed, on another server if need be, without losing or repeating an event; when",
        "the server no longer keeps the events since the resume point, a line on stderr says which may be missing.",
        "With -o json, each event is one JSON object on its own line."})
final class EventsCommand extends ClientCommand {
  @Option(names = "--since", paramLabel = "ID",
      description = "Start after this event id (replays what followed it); default: only new events.")
  Long since;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Stop after N events.")
  Integer limit;

  @Override
  int run(ShepherdClient client) throws Exception {
    if (limit != null && limit <= 0) {
      throw new BadInputException("--limit: must be at least 1");
    }
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    AtomicBoolean connected = new AtomicBoolean();
    AtomicInteger printed = new AtomicInteger();
    EventListener listener = new EventListener() {
      @Override
      public void onEvent(Event event) {
        if (limit != null && printed.get() >= limit) {
          return; // the subscription is being closed
        }
        println(json() ? compactJson(event) : Render.event(event));
        if (limit != null && printed.incrementAndGet() >= limit) {
          exit.complete(ExitCodes.OK);
        }
      }

      @Override
      public void onGap(EventGap gap) {
        err().println("shepherd: events after " + gap.after() + " up to " + gap.upTo() + " may be missing: "
            + gap.message());
        err().flush();
      }

      @Override
      public void onConnected(URI server) {
        connected.set(true);
      }

      @Override
      public void onDisconnected(UnavailableException cause) {
        if (!connected.get()) {
          // Never connected at all: report it like any other call rather than wait in silence.
          exit.completeExceptionally(cause);
          return;
        }
        err().println("shepherd: event stream lost (" + cause.getMessage() + "); reconnecting");
        err().flush();
      }

      @Override
      public void onClosed(Optional<ShepherdException> failure) {
        failure.ifPresentOrElse(exit::completeExceptionally, () -> exit.complete(ExitCodes.OK));
      }
    };
    EventSubscription subscription =
        client.events(since == null ? OptionalLong.empty() : OptionalLong.of(since), listener);
    try {
      return exit.join();
    } catch (CompletionException e) {
      throw (Exception) e.getCause();
    } finally {
      subscription.close();
    }
  }
}
