package io.shepherd.api;

/**
 * An exposed port a node's gateway does not listen on, so that the set's address does not answer on that node.
 *
 * @param port       the exposed port
 * @param replicaSet the replica set that exposes it
 * @param reason     why, in the agent's words: a privileged port without {@code agent.gateway.allowPrivileged}, or
 *                   the bind's failure as the OS reported it (the agent retries every few seconds)
 */
public record RefusedPort(int port, String replicaSet, String reason) {}
