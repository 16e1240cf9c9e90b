package org.tollguard.calls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.decision.Decision;
import org.tollguard.decision.DecisionKind;
import org.tollguard.decision.Enforcer;
import org.tollguard.pbx.PbxControl;

/** Hangs up calls through the PBX's control port; never waits for the PBX. */
public final class HangupEnforcer implements Enforcer {
    private static final Logger log = LoggerFactory.getLogger(HangupEnforcer.class);

    private final PbxControl control;

    public HangupEnforcer(PbxControl control) {
        this.control = control;
    }

    @Override
    public boolean handles(DecisionKind kind) {
        return kind == DecisionKind.HANGUP_CALL;
    }

    @Override
    public void apply(Decision decision) {
        String callId = String.valueOf(decision.evidence().get("call-id"));
        int cause = decision.evidence().get("cause") instanceof Number n ? n.intValue() : 16;
        control.hangup(callId, cause).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("hangup failed call={} account={} error=\"{}\"", callId, decision.target(), error.getMessage());
            } else {
                log.info("call hung up call={} account={} cause={}", callId, decision.target(), cause);
            }
        });
    }

    @Override
    public void lift(Decision decision) {
        // a hang-up cannot be undone
    }
}
