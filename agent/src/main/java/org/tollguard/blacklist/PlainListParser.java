package org.tollguard.blacklist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Plain lists: one address or CIDR a line, as VoIPBL and firewall blocklists (Spamhaus DROP, FireHOL) publish
 * them. Everything from {@code #} or {@code ;} on is a comment, as is a line starting with {@code //}; only the
 * first word of a line counts, so {@code 203.0.113.0/24 ; SBL123} reads as the network.
 */
final class PlainListParser {
    private PlainListParser() {}

    static void parse(InputStream body, Intake intake, SyncProgress progress) throws IOException, ListException {
        BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.ISO_8859_1), 1 << 16);
        NetParser p = new NetParser();
        String line;
        while ((line = in.readLine()) != null) {
            int end = line.length();
            int hash = line.indexOf('#');
            if (hash >= 0) {
                end = hash;
            }
            int semi = line.indexOf(';');
            if (semi >= 0 && semi < end) {
                end = semi;
            }
            int start = 0;
            while (start < end && isSpace(line.charAt(start))) {
                start++;
            }
            if (start == end || line.startsWith("//", start)) {
                continue;
            }
            int wordEnd = start;
            while (wordEnd < end && !isSpace(line.charAt(wordEnd)) && line.charAt(wordEnd) != ',') {
                wordEnd++;
            }
            if (p.parse(line, start, wordEnd)) {
                intake.add(p, 0, null);
            } else {
                intake.malformed(line.substring(start, end).strip());
            }
            if ((intake.seen() & 0x3fff) == 0) {
                progress.entries(intake.seen());
            }
        }
        progress.entries(intake.seen());
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u00a0';
    }
}
