package org.tollguard.pbx;

/** Receives events from a PBX adapter on the adapter's thread: must only enqueue, never block. */
@FunctionalInterface
public interface PbxEventListener {
    void onEvent(PbxEvent event);
}
