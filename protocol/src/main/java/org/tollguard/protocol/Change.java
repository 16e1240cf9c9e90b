package org.tollguard.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** One change to the list: {@code add} (replaces reason and expiry of a listed network) or {@code remove}. */
public record Change(Op op, String network, String reason, Instant expires) {
    public enum Op {
        @JsonProperty("add") ADD,
        @JsonProperty("remove") REMOVE
    }
}
