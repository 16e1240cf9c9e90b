package org.tollguard.decision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where the ledger writes what it decided, behind its back (on the journal's own thread), and reads it back at
 * start-up. The store implements it.
 */
public interface DecisionJournal {
    /** Stores a new decision under the id the ledger gave it. */
    void append(Decision decision);

    /** Records that the decision with this id was lifted (when, by whom, why). */
    void lifted(Decision decision);

    /** The highest id ever given, 0 for an empty journal. */
    long lastId();

    /** Decisions of lasting kinds in force at {@code now}, oldest first. */
    List<Decision> activeLasting(Instant now);

    /** How many local bans each address ever had (escalation). */
    Map<String, Integer> localBanCounts();

    /** The newest decisions of any kind, newest first. */
    List<Decision> recent(int limit);
}
