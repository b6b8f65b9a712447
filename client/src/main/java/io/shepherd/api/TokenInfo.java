package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Optional;

/**
 * An API token as {@code GET /tokens} lists it: never its secret, which the server does not keep.
 *
 * @param id        its id, for {@code DELETE /tokens/{id}} (also the part of the secret after {@code shp_})
 * @param name      who or what it is for
 * @param role      what it may do
 * @param created   when it was created
 * @param createdBy the name of the token that created it (empty for the one a new cluster makes for itself)
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record TokenInfo(String id, String name, Role role, Instant created, Optional<String> createdBy) {
  public TokenInfo {
    createdBy = createdBy == null ? Optional.empty() : createdBy;
  }
}
