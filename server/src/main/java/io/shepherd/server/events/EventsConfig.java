package io.shepherd.server.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.concurrent.TimeUnit;

/** The {@code events:} section of shepherd.yml: how the event stream keeps and sends events. */
public class EventsConfig {
  /** How many events each server keeps for subscribers that resume ({@code Last-Event-ID}, {@code ?since=}). */
  @Min(1)
  @Max(1_000_000)
  @JsonProperty
  public int bufferSize = 10_000;

  /** How many events a live subscriber may fall behind before it is disconnected (it can resume). */
  @Min(1)
  @Max(1_000_000)
  @JsonProperty
  public int subscriberQueue = 1_000;

  /** How often an idle stream sends a comment line, so that proxies and clients see it is alive. */
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @JsonProperty
  public Duration keepAlive = Duration.seconds(15);
}
