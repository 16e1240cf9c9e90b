/**
 * A small inbound client for the FreeSWITCH Event Socket (mod_event_socket).
 *
 * <p>{@link org.tollguard.freeswitch.esl.EslFrameReader} decodes frames from a byte stream;
 * {@link org.tollguard.freeswitch.esl.EslClient} keeps one authenticated connection open, re-subscribes after every
 * reconnect, correlates {@code api}/{@code bgapi} replies with futures and hands events and log lines to an
 * {@link org.tollguard.freeswitch.esl.EslListener} on its own reader thread. No framework, no extra dependencies.
 */
package org.tollguard.freeswitch.esl;
