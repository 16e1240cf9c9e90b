package org.tollguard.freeswitch;

import java.util.regex.Pattern;

/** Checks and cleaning for values that come from FreeSWITCH, many of them copied from attacker-chosen SIP headers. */
final class Text {
    /** FreeSWITCH's UUIDs are 36 characters; allow any reasonable id without spaces or line breaks. */
    private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    /** What may go into a dialplan variable: FreeSWITCH expands ${...} and $${...} in application data. */
    private static final Pattern NOT_VARIABLE_SAFE = Pattern.compile("[^A-Za-z0-9 .,:;_+/@()=#*-]");
    private static final int MAX = 80;

    private Text() {}

    /** Printable ASCII only, at most 80 characters; null becomes "". */
    static String clean(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX));
        for (int i = 0; i < s.length() && b.length() < MAX; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c <= 0x7e ? c : '?');
        }
        return b.toString();
    }

    /** For a dialplan variable's value: no {@code $}, braces, quotes, percent or backslash. */
    static String variableSafe(String s) {
        String cleaned = NOT_VARIABLE_SAFE.matcher(clean(s)).replaceAll("_");
        return cleaned.isBlank() ? "-" : cleaned.strip();
    }

    static boolean isCallId(String s) {
        return s != null && CALL_ID.matcher(s).matches();
    }

    /** FreeSWITCH writes {@code _undef_} for an empty value; null and blank also mean "none". */
    static String value(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() || t.equals("_undef_") ? null : t;
    }
}
