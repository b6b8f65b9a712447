package io.shepherd.api;

/**
 * The body of {@code POST /tokens}.
 *
 * @param name who or what the token is for ("ci", "alice"); recorded in the events its requests cause
 * @param role what it may do
 */
public record TokenRequest(String name, Role role) {}
