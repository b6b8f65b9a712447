package io.shepherd.worker.record;

/**
 * The data of {@code /exposed/{port}}: the replica set whose spec exposes that port, and the name of its copies'
 * port the gateways forward to. Written by the servers with the spec, in one transaction; read by every agent's
 * gateway.
 *
 * @param replicaSet the replica set
 * @param targetPort the name of the port of each copy that connections go to
 */
public record ExposedRecord(String replicaSet, String targetPort) {}
