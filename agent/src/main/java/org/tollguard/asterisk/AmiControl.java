package org.tollguard.asterisk;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.response.ManagerError;
import org.tollguard.pbx.CallGoneException;
import org.tollguard.pbx.LiveCall;
import org.tollguard.pbx.PbxControl;

/** The control port on Asterisk: AMI Hangup and CoreShowChannels, sent asynchronously. */
final class AmiControl implements PbxControl {
    private final Supplier<ManagerConnection> connection;
    private final AmiCallTracker calls;

    AmiControl(Supplier<ManagerConnection> connection, AmiCallTracker calls) {
        this.connection = connection;
        this.calls = calls;
    }

    @Override
    public String describe() {
        ManagerConnection c = connection.get();
        return c == null ? "asterisk (not connected)" : "asterisk " + c.getVersion();
    }

    @Override
    public CompletableFuture<Void> hangup(String callId, int cause) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        String channel = calls.channelOf(callId);
        ManagerConnection c = connection.get();
        if (channel == null) {
            done.completeExceptionally(new CallGoneException("no live channel for call " + callId));
            return done;
        }
        if (c == null) {
            done.completeExceptionally(new IllegalStateException("not connected to AMI"));
            return done;
        }
        try {
            c.sendAction(new HangupAction(channel, cause), response -> {
                if (response instanceof ManagerError error && String.valueOf(error.getMessage()).contains("No such channel")) {
                    done.completeExceptionally(new CallGoneException("Hangup " + channel + ": " + error.getMessage()));
                } else if (response instanceof ManagerError error) {
                    done.completeExceptionally(new IllegalStateException("Hangup " + channel + ": " + error.getMessage()));
                } else {
                    done.complete(null);
                }
            });
        } catch (IOException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public CompletableFuture<List<LiveCall>> liveCalls() {
        CompletableFuture<List<LiveCall>> result = new CompletableFuture<>();
        ManagerConnection c = connection.get();
        if (c == null) {
            result.completeExceptionally(new IllegalStateException("not connected to AMI"));
            return result;
        }
        java.time.Instant asked = calls.now();
        try {
            c.sendEventGeneratingAction(new CoreShowChannelsAction(),
                    events -> result.complete(calls.resync(events.getEvents(), asked)));
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }
}
