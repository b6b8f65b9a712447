package io.shepherd.api;

/** The body of {@code PUT /replicasets/{name}/replicas}. */
public record ScaleRequest(Integer replicas) {}
