package io.shepherd.server.state;

/** A record read from a znode, with the znode's version. */
public record Versioned<T>(T value, int version) {}
