package org.tollguard.numbers;

/**
 * What a phone sent, reduced to digits: spaces, dashes, dots, slashes and brackets go; a leading {@code +} is
 * kept apart; the {@code (0)} that people write after a country code ({@code +31 (0)20 ...}) is dropped.
 * Anything else (letters, {@code *}, {@code #}, a {@code +} in the middle) means it is not a phone number.
 *
 * @param plus   the number began with {@code +}
 * @param digits the digits, at least one and at most {@link #MAX_DIGITS}
 */
record DialString(boolean plus, String digits) {
    /** 15 digits of E.164, plus room for an international prefix and an outside-line prefix. */
    static final int MAX_DIGITS = 24;

    /** The digits of {@code text}, or {@code null} if it is not a phone number. */
    static DialString parse(String text) {
        if (text == null) {
            return null;
        }
        char[] digits = new char[MAX_DIGITS];
        int count = 0;
        boolean plus = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (count == MAX_DIGITS) {
                    return null;
                }
                digits[count++] = c;
            } else if (c == '+') {
                if (plus || count > 0) {
                    return null;
                }
                plus = true;
            } else if (c == '(') {
                // "+31 (0)20": the trunk 0 in brackets is not dialled after a country code
                if ((plus || count > 0) && i + 2 < n && text.charAt(i + 1) == '0' && text.charAt(i + 2) == ')') {
                    i += 2;
                }
            } else if (!isSeparator(c)) {
                return null;
            }
        }
        return count == 0 ? null : new DialString(plus, new String(digits, 0, count));
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '-' || c == '.' || c == '/' || c == ')' || c == '\t' || c == '\u00a0';
    }
}
