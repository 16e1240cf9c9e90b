package org.tollguard.freeswitch.esl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of an {@link EslClient}. Build with {@link #builder(String, int, String)}.
 *
 * @param events             event names to subscribe to, e.g. {@code CHANNEL_CREATE}, {@code CHANNEL_HANGUP_COMPLETE}
 *                           or {@code ALL}; {@code BACKGROUND_JOB} is always added (bgapi needs it)
 * @param customEvents       CUSTOM subclasses, e.g. {@code sofia::register_failure}
 * @param logLevel           level for the {@code log} command (e.g. {@code WARNING} or {@code 4}), null for no log
 *                           stream; the Event Socket ACL refusals are at WARNING
 * @param initialBackoff     first reconnect delay; doubled after every failed attempt up to {@code maxBackoff}
 * @param authFailureBackoff delay between attempts while the password is rejected
 * @param handshakeTimeout   how long to wait for {@code auth/request} and the auth reply
 * @param keepAliveInterval  after this long without any data the client sends {@code api version}; after three
 *                           times this long it drops the connection and reconnects. {@link Duration#ZERO} disables.
 * @param maxFrameBytes      largest accepted frame body; a larger one drops the connection
 */
public record EslConfig(
        String host,
        int port,
        String password,
        EslEventFormat eventFormat,
        List<String> events,
        List<String> customEvents,
        String logLevel,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration authFailureBackoff,
        Duration connectTimeout,
        Duration handshakeTimeout,
        Duration keepAliveInterval,
        int maxFrameBytes) {

    public static final int DEFAULT_PORT = 8021;
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_:.\\-]+");

    public EslConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(eventFormat, "eventFormat");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("password must not contain a line break");
        }
        events = List.copyOf(events);
        customEvents = List.copyOf(customEvents);
        for (String e : events) {
            requireWord("event", e);
            if (e.equalsIgnoreCase("CUSTOM")) {
                throw new IllegalArgumentException("put CUSTOM subclasses in customEvents, not CUSTOM in events");
            }
        }
        customEvents.forEach(e -> requireWord("custom event", e));
        if (logLevel != null) {
            requireWord("log level", logLevel);
        }
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        requirePositive("authFailureBackoff", authFailureBackoff);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("handshakeTimeout", handshakeTimeout);
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        if (keepAliveInterval.isNegative()) {
            throw new IllegalArgumentException("keepAliveInterval must not be negative");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= initialBackoff");
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1024");
        }
    }

    public static Builder builder(String host, int port, String password) {
        return new Builder(host, port, password);
    }

    /**
     * The subscription command: plain event names first, then {@code CUSTOM} and its subclasses (FreeSWITCH reads
     * every word after {@code CUSTOM} as a subclass), with {@code BACKGROUND_JOB} added unless {@code ALL} is there.
     */
    public String eventCommand() {
        List<String> names = new ArrayList<>(events);
        boolean all = names.stream().anyMatch(n -> n.equalsIgnoreCase("ALL"));
        if (!all && names.stream().noneMatch(n -> n.equalsIgnoreCase("BACKGROUND_JOB"))) {
            names.add("BACKGROUND_JOB");
        }
        StringBuilder b = new StringBuilder("event ").append(eventFormat.keyword());
        names.forEach(n -> b.append(' ').append(n));
        if (!customEvents.isEmpty() && !all) {
            b.append(" CUSTOM");
            customEvents.forEach(c -> b.append(' ').append(c));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "EslConfig[" + host + ":" + port + ", format=" + eventFormat + ", events=" + events + ", customEvents="
                + customEvents + ", logLevel=" + logLevel + "]";
    }

    private static void requireWord(String what, String value) {
        if (value == null || !WORD.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + ": '" + value + "'");
        }
    }

    private static void requirePositive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }

    public static final class Builder {
        private final String host;
        private final int port;
        private final String password;
        private EslEventFormat eventFormat = EslEventFormat.PLAIN;
        private List<String> events = List.of();
        private List<String> customEvents = List.of();
        private String logLevel;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(60);
        private Duration authFailureBackoff = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration keepAliveInterval = Duration.ofSeconds(20);
        private int maxFrameBytes = EslFrameReader.DEFAULT_MAX_FRAME_BYTES;

        private Builder(String host, int port, String password) {
            this.host = host;
            this.port = port;
            this.password = password;
        }

        public Builder eventFormat(EslEventFormat f) {
            this.eventFormat = f;
            return this;
        }

        public Builder events(String... names) {
            this.events = List.of(names);
            return this;
        }

        public Builder customEvents(String... subclasses) {
            this.customEvents = List.of(subclasses);
            return this;
        }

        public Builder logLevel(String level) {
            this.logLevel = level;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public Builder authFailureBackoff(Duration d) {
            this.authFailureBackoff = d;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder handshakeTimeout(Duration d) {
            this.handshakeTimeout = d;
            return this;
        }

        public Builder keepAliveInterval(Duration d) {
            this.keepAliveInterval = d;
            return this;
        }

        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = bytes;
            return this;
        }

        public EslConfig build() {
            return new EslConfig(host, port, password, eventFormat, events, customEvents, logLevel, initialBackoff,
                    maxBackoff, authFailureBackoff, connectTimeout, handshakeTimeout, keepAliveInterval,
                    maxFrameBytes);
        }
    }
}
