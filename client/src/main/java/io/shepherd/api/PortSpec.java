package io.shepherd.api;

/**
 * One port a replica set's copies listen on. The leader picks a number for it from the node's port range when it
 * assigns a copy; the agent puts it in the argv ({@code ${PORT_<NAME>}}, and {@code ${PORT}} for the first port) and in
 * the environment ({@code PORT_<NAME>}, {@code PORT}).
 *
 * @param name a lowercase name, unique within the spec: letters, digits and '-', at most 15 characters
 */
public record PortSpec(String name) {}
