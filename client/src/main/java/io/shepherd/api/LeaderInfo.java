package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/**
 * Who controls.
 *
 * @param leader   the id of the server that leads, if any does
 * @param self     the id of the server that answered
 * @param isLeader whether the server that answered leads
 * @param epoch    the controller epoch the answering server knows of
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record LeaderInfo(Optional<String> leader, String self, boolean isLeader, long epoch) {
  public LeaderInfo {
    leader = leader == null ? Optional.empty() : leader;
  }
}
