package io.shepherd.worker.record;

/**
 * An exposed port an agent's gateway does not listen on, and why: part of its {@link NodeRecord}, so that the API
 * and the dashboard can say why a set's address does not answer on that node.
 *
 * @param port       the exposed port
 * @param replicaSet the replica set that exposes it
 * @param reason     why it is not served: privileged without {@code agent.gateway.allowPrivileged}, or the bind's
 *                   failure as the OS reported it (retried every few seconds)
 */
public record RefusedPort(int port, String replicaSet, String reason) {}
