package org.tollguard.yamlconfig;

/** A configuration that cannot be used; the message names the file, line and key path. */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
