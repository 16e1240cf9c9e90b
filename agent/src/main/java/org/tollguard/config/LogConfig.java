package org.tollguard.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code log:} how much the agent says. */
public record LogConfig(Level level) {
    public enum Level {
        @JsonProperty("error") ERROR,
        @JsonProperty("warn") WARN,
        @JsonProperty("info") INFO,
        @JsonProperty("debug") DEBUG,
        @JsonProperty("trace") TRACE
    }

    public LogConfig {
        level = level == null ? Level.INFO : level;
    }

    public static LogConfig defaults() {
        return new LogConfig(null);
    }
}
