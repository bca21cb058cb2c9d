package io.pricepath.jobs.config;

/** A configuration value that cannot be used; the message names the key, the value and the fix. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String key, Object value, String rule) {
    super("Cannot use config %s = %s: %s".formatted(key, value, rule));
  }

  public ConfigException(String message) {
    super(message);
  }
}
