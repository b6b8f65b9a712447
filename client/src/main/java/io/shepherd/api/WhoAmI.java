package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Who the server takes the caller of {@code GET /api/v1/whoami} to be: the name of the request's API token and its
 * role, so that a client (the dashboard, {@code shepherd whoami}) offers only what the server would allow.
 *
 * @param name the token's name
 * @param role the token's role (each role includes the ones below it)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WhoAmI(String name, Role role) {}
