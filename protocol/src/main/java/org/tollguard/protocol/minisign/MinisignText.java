package org.tollguard.protocol.minisign;

import java.util.Base64;
import java.util.List;

/** The line format all minisign files share: {@code untrusted comment: ...} then a base64 line. */
final class MinisignText {
    static final String UNTRUSTED = "untrusted comment: ";
    static final String TRUSTED = "trusted comment: ";

    private MinisignText() {}

    static List<String> lines(String what, String text, int count) throws MinisignException {
        List<String> lines = text.lines().map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).toList();
        if (lines.size() < count) {
            throw new MinisignException(what + ": expected " + count + " lines, found " + lines.size());
        }
        if (!lines.get(0).startsWith(UNTRUSTED)) {
            throw new MinisignException(what + ": the first line must start with '" + UNTRUSTED.strip() + "'");
        }
        return lines;
    }

    static byte[] base64(String what, String line, int expectedBytes) throws MinisignException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(line.strip());
        } catch (IllegalArgumentException e) {
            throw new MinisignException(what + ": not base64: " + e.getMessage());
        }
        if (bytes.length != expectedBytes) {
            throw new MinisignException(what + ": expected " + expectedBytes + " bytes, found " + bytes.length);
        }
        return bytes;
    }

    static String oneLine(String what, String comment) {
        if (comment.indexOf('\n') >= 0 || comment.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " must be one line");
        }
        return comment;
    }
}
