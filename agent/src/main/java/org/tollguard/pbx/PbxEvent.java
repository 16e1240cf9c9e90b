package org.tollguard.pbx;

import java.time.Instant;

/** Something a PBX reported, in PBX-neutral terms. Immutable. */
public interface PbxEvent {
    /** When the agent received it. */
    Instant at();
}
