package io.shepherd.worker.record;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A copy's probes, carried by its assignment; each is null when the spec has none. An assignment without probes
 * (written before they existed, or for a spec without any) carries none of this.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Probes(ProbeRecord startup, ProbeRecord liveness, ProbeRecord readiness) {
  public static final Probes NONE = new Probes(null, null, null);

  @JsonIgnore
  public boolean isEmpty() {
    return startup == null && liveness == null && readiness == null;
  }
}
