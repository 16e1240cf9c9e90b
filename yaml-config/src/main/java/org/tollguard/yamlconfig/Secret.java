package org.tollguard.yamlconfig;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A password or token from the config; never printed. */
public record Secret(String value) {
    @JsonCreator
    public static Secret of(String value) {
        return new Secret(value);
    }

    public boolean isEmpty() {
        return value == null || value.isEmpty();
    }

    @JsonValue
    @Override
    public String toString() {
        return isEmpty() ? "" : "********";
    }
}
