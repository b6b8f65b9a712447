package io.shepherd.worker;

/** A configuration file that cannot be used; the message is one line that names the file or the field. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }
}
