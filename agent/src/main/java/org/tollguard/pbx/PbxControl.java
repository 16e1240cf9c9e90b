package org.tollguard.pbx;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the agent may ask of the PBX. Every method returns at once; the work happens on the adapter's side, so
 * engines never block on the PBX.
 */
public interface PbxControl {
    /** "asterisk" or "freeswitch", with version where known. */
    String describe();

    /** Hangs up the call with a Q.850 cause (e.g. 21 call rejected, 16 normal clearing). */
    CompletableFuture<Void> hangup(String callId, int cause);

    /** The calls the PBX has now. */
    CompletableFuture<List<LiveCall>> liveCalls();
}
