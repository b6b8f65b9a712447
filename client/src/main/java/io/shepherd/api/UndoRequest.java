package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of {@code POST /replicasets/{name}/rollout/undo}: the revision to go back to (absent: the previous). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UndoRequest(Integer revision) {}
