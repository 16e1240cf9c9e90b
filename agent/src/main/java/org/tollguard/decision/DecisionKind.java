package org.tollguard.decision;

/** What an action does. The stored name is the lower-case, dash-separated form. */
public enum DecisionKind {
    BAN_ADDRESS,
    BLOCK_ACCOUNT,
    REFUSE_CALL,
    HANGUP_CALL,
    /** Something an operator should know that the agent chose not to enforce (e.g. failures from a trusted address). */
    ALERT;

    public String id() {
        return name().toLowerCase().replace('_', '-');
    }

    public static DecisionKind fromId(String id) {
        return valueOf(id.toUpperCase().replace('-', '_'));
    }

    /** In force for a while (until it expires or is lifted), so held in the ledger and re-applied at start-up. */
    public boolean lasting() {
        return this == BAN_ADDRESS || this == BLOCK_ACCOUNT;
    }
}
