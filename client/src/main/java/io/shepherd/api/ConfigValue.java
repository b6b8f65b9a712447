package io.shepherd.api;

/**
 * One configuration value watched by a replica set's workers ({@code /config/{replicaSet}/{key}}).
 *
 * @param replicaSet the replica set it configures
 * @param key        its key
 * @param value      its value
 * @param version    its version, for {@code If-Match}
 */
public record ConfigValue(String replicaSet, String key, String value, int version) {}
