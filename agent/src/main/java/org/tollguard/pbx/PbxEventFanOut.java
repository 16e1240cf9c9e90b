package org.tollguard.pbx;

import java.util.List;

/** Hands each event to every engine (each enqueues it on its own thread). */
public final class PbxEventFanOut implements PbxEventListener {
    private final List<PbxEventListener> listeners;

    public PbxEventFanOut(List<PbxEventListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onEvent(PbxEvent event) {
        for (PbxEventListener l : listeners) {
            l.onEvent(event);
        }
    }
}
