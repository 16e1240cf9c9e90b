package org.tollguard.hub.abuse;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the abuse desk is shown about one address: the bans agents reported, only from operators who opted in, and
 * how many distinct operators and sites they were (never which: the reporters stay private).
 */
public record AddressEvidence(String address, int operators, int sites, List<Ban> bans) {
    /** One agent's ban of the address, as the agent reported it (account names left out). */
    public record Ban(Instant bannedAt, Instant firstSeen, Instant lastSeen, String service, String transport,
                      Map<String, Integer> counts, int accounts, List<String> userAgents) {
        long failures() {
            return counts.values().stream().mapToLong(Integer::longValue).sum();
        }
    }

    public Instant firstSeen() {
        return bans.stream().map(Ban::firstSeen).min(Instant::compareTo).orElseThrow();
    }

    public Instant lastSeen() {
        return bans.stream().map(Ban::lastSeen).max(Instant::compareTo).orElseThrow();
    }

    public long failures() {
        return bans.stream().mapToLong(Ban::failures).sum();
    }

    /** "tcp" if a ban saw the source over TCP, TLS or WebSocket (a real, unspoofed source); else "udp". */
    public String protocol() {
        return bans.stream().map(b -> b.transport() == null ? "" : b.transport().toUpperCase(Locale.ROOT))
                .anyMatch(t -> t.equals("TCP") || t.equals("TLS") || t.equals("WS") || t.equals("WSS")) ? "tcp" : "udp";
    }

    public List<String> userAgents() {
        TreeSet<String> all = new TreeSet<>();
        bans.forEach(b -> all.addAll(b.userAgents()));
        return List.copyOf(all);
    }

    /** The bans as CSV, one line each: the evidence part of the mail and of the X-ARF report. */
    public String csv() {
        StringBuilder out = new StringBuilder("source,banned_at,first_seen,last_seen,service,transport,failures,"
                + "failure_types,accounts_tried,user_agents\r\n");
        for (Ban b : bans) {
            out.append(String.join(",", address, b.bannedAt().toString(), b.firstSeen().toString(),
                    b.lastSeen().toString(), field(b.service()), field(b.transport()), String.valueOf(b.failures()),
                    field(String.join(" ", new TreeSet<>(b.counts().keySet()))), String.valueOf(b.accounts()),
                    field(String.join(" | ", b.userAgents())))).append("\r\n");
        }
        return out.toString();
    }

    private static String field(String value) {
        if (value == null) {
            return "";
        }
        return value.matches("[^,\"\\r\\n]*") ? value : "\"" + value.replace("\"", "\"\"").replaceAll("[\\r\\n]", " ") + "\"";
    }
}
