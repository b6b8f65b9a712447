package io.shepherd.api;

/** The body of {@code POST /replicasets/{name}/rollout/undo}: the revision to go back to (absent: the previous). */
public record UndoRequest(Integer revision) {}
