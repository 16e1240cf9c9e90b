package org.tollguard.pbx;

/** Something that happened to a call. {@code callId} is the PBX's unique id of the calling channel. */
public sealed interface CallEvent extends PbxEvent permits CallStarted, CallAnswered, CallEnded {
    String callId();
}
