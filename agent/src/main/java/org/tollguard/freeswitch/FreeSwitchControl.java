package org.tollguard.freeswitch;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.freeswitch.esl.EslClient;
import org.tollguard.pbx.LiveCall;
import org.tollguard.pbx.PbxControl;

/**
 * The agent's hands on FreeSWITCH. Every method returns at once; replies arrive on the Event Socket reader thread.
 *
 * <ul>
 * <li>{@link #hangup}: {@code bgapi uuid_kill <uuid> <CAUSE_NAME>} (bgapi, so a busy FreeSWITCH never holds up the
 *     event stream). A call that is already gone ({@code -ERR No such channel!}) counts as hung up.</li>
 * <li>{@link #liveCalls}: {@code api show channels as json}, the outgoing calls only (their counted leg, one per call;
 *     see {@link CallTracker}).</li>
 * </ul>
 */
public final class FreeSwitchControl implements PbxControl {
    private static final Logger log = LoggerFactory.getLogger(FreeSwitchControl.class);
    static final long TIMEOUT_SECONDS = 10;

    private final EslClient client;
    private final CallTracker tracker;
    private final Supplier<String> version;

    FreeSwitchControl(EslClient client, CallTracker tracker, Supplier<String> version) {
        this.client = client;
        this.tracker = tracker;
        this.version = version;
    }

    /** {@code freeswitch 1.10.12-release~64bit}, or just {@code freeswitch} before the first connection. */
    @Override
    public String describe() {
        String v = version.get();
        return v == null ? "freeswitch" : "freeswitch " + v;
    }

    @Override
    public CompletableFuture<Void> hangup(String callId, int cause) {
        if (!Text.isCallId(callId)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a FreeSWITCH call id: '"
                    + Text.clean(callId) + "'"));
        }
        String causeName = HangupCauses.name(cause);
        return client.bgapi("uuid_kill " + callId + " " + causeName)
                .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .thenApply(job -> {
                    String out = job.body() == null ? "" : job.body().strip();
                    if (out.startsWith("+OK")) {
                        log.info("call hung up callId={} cause={}", callId, causeName);
                        return null;
                    }
                    if (out.contains("No such channel")) {
                        log.info("hangup: call already gone callId={}", callId);
                        return null;
                    }
                    throw new CompletionException(new IOException("uuid_kill " + callId + " failed: "
                            + Text.clean(out)));
                });
    }

    @Override
    public CompletableFuture<List<LiveCall>> liveCalls() {
        return client.api("show channels as json")
                .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .thenApply(body -> {
                    try {
                        return tracker.toLiveCalls(ChannelRows.parse(body));
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                });
    }
}
