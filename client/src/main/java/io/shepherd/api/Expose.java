package io.shepherd.api;

/**
 * Makes a replica set reachable at one stable address: port {@code port} of every agent's host, where the agent's
 * gateway forwards each TCP connection to a ready copy of the set (round robin), to the copy's port named
 * {@code targetPort}. At most one replica set exposes a given port.
 *
 * @param port       the port every agent's gateway listens on for this set, 1..65535 (agents refuse ports below 1024
 *                   unless their configuration allows privileged ports)
 * @param targetPort the name of one of the spec's {@code ports}: where each copy is reached
 */
public record Expose(Integer port, String targetPort) {}
