package org.tollguard.freeswitch.esl;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One FreeSWITCH log entry from a {@code log/data} frame (sent after the {@code log LEVEL} command).
 *
 * <p>mod_event_socket sends the headers {@code Log-Level}, {@code Text-Channel}, {@code Log-File}, {@code Log-Func},
 * {@code Log-Line}, {@code User-Data} (not URL-encoded) and the formatted log text as the body, e.g.
 * {@code 2026-11-22 17:56:52.244376 95.77% [WARNING] sofia_reg.c:1842 SIP auth challenge (REGISTER) ...}. One entry
 * may span several lines.
 *
 * @param level       FreeSWITCH level: 0 CONSOLE, 1 ALERT, 2 CRIT, 3 ERR, 4 WARNING, 5 NOTICE, 6 INFO, 7 DEBUG; -1 if
 *                    missing
 * @param file        source file, e.g. {@code sofia_reg.c}
 * @param function    source function
 * @param line        source line; -1 if missing
 * @param channelUuid {@code User-Data}: the channel UUID for session logs, null if empty
 * @param text        the body without its final newline (date, CPU idle, level and file:line prefix included)
 */
public record EslLogLine(int level, String file, String function, int line, String channelUuid, String text) {
    /** {@code 2026-11-22 17:56:52.244376 95.77% [WARNING] sofia_reg.c:1842 } (optionally with {@code func()}). */
    private static final Pattern PREFIX = Pattern.compile(
            "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+ \\S+% \\[[A-Z]+\\] \\S+:\\d+(?: \\S+\\(\\))? ");

    /** Reads a {@code log/data} frame. */
    public static EslLogLine parse(EslMessage frame) {
        String text = frame.bodyText();
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        String uuid = frame.header("User-Data");
        return new EslLogLine(number(frame.header("Log-Level")), frame.header("Log-File"), frame.header("Log-Func"),
                number(frame.header("Log-Line")), uuid == null || uuid.isBlank() ? null : uuid.trim(),
                text.substring(0, end));
    }

    /** The text without FreeSWITCH's date/CPU/level/file:line prefix, e.g. {@code SIP auth challenge (REGISTER) ...}. */
    public String message() {
        Matcher m = PREFIX.matcher(text);
        return m.find() ? text.substring(m.end()) : text;
    }

    private static int number(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
