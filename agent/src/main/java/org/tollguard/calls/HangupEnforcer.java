package org.tollguard.calls;

import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Enforcer;
import org.tollguard.decision.Target;
import org.tollguard.pbx.CallGoneException;
import org.tollguard.pbx.PbxControl;

/**
 * Hangs up calls through one PBX's control port; never waits for the PBX. A hang-up holds once the PBX did it or
 * the call is gone; a refusal (no connection, an error) fails, and the ledger tries again.
 */
public final class HangupEnforcer implements Enforcer {
    private static final Logger log = LoggerFactory.getLogger(HangupEnforcer.class);

    private final String pbx;
    private final PbxControl control;

    /** @param pbx the PBX this control port reaches, as call targets name it */
    public HangupEnforcer(String pbx, PbxControl control) {
        this.pbx = pbx;
        this.control = control;
    }

    @Override
    public boolean handles(Decision decision) {
        return decision.kind() == DecisionKind.HANGUP_CALL && decision.target() instanceof Target.Call call
                && (call.pbx().isEmpty() || call.pbx().equals(pbx));
    }

    @Override
    public CompletionStage<Void> apply(Decision decision) {
        Target.Call call = (Target.Call) decision.target();
        return control.hangup(call.callId(), call.cause()).handle((ok, error) -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof CallGoneException) {
                log.info("call already gone call={} account={}", call.callId(), call.account());
                return null;
            }
            if (cause != null) {
                throw new java.util.concurrent.CompletionException(cause);
            }
            log.info("call hung up call={} account={} cause={}", call.callId(), call.account(), call.cause());
            return null;
        });
    }

    @Override
    public CompletionStage<Void> lift(Decision decision) {
        return Enforcer.done(); // a hang-up cannot be undone
    }
}
