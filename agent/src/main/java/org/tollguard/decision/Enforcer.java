package org.tollguard.decision;

/** Applies decisions of some kinds to the world (kernel firewall, PBX). */
public interface Enforcer {
    boolean handles(DecisionKind kind);

    void apply(Decision decision) throws Exception;

    void lift(Decision decision) throws Exception;
}
