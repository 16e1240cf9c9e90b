package org.tollguard.decision;

/** Who took a decision: this agent's detectors, the community list, or an operator by hand. */
public enum Origin {
    LOCAL,
    COMMUNITY,
    OPERATOR;

    public String id() {
        return name().toLowerCase();
    }

    public static Origin fromId(String id) {
        return valueOf(id.toUpperCase());
    }
}
