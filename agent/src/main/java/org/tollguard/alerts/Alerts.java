package org.tollguard.alerts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerting of a running agent: the {@link #listener() listener} the decision pipeline and the modules tell,
 * and the dispatcher that turns what they say into one digest per channel and interval. Closing it sends what
 * is pending.
 */
public final class Alerts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final AlertDispatcher dispatcher;
    private final AlertListener listener;

    private Alerts(AlertsConfig config, Clock clock, List<AlertDispatcher.Lane> lanes) {
        String agent = config.name() != null ? config.name() : hostName();
        this.dispatcher = new AlertDispatcher(lanes, clock, agent, config.details(), config.topTargets(), config.retry());
        this.listener = new AlertListener(dispatcher::submit, config.pbxDownAfter(), clock);
        for (AlertDispatcher.Lane lane : lanes) {
            log.info("alert channel ready channel={} type={} min-severity={} digest-interval={}s", lane.channel.name(),
                    lane.channel.type(), lane.minSeverity.id(), lane.intervalMillis / 1000.0);
        }
    }

    /** The channels of {@code config} (e-mail first, then the webhooks in order). */
    public static Alerts start(AlertsConfig config, Clock clock) {
        List<Channel> channels = new ArrayList<>();
        if (config.email() != null) {
            channels.add(new EmailChannel(config.email()));
        }
        config.webhooks().forEach(w -> channels.add(new WebhookChannel(w)));
        return start(config, clock, channels);
    }

    /** With channels made by the caller (tests); each takes its settings from {@code config} by type and name. */
    static Alerts start(AlertsConfig config, Clock clock, List<Channel> channels) {
        List<AlertDispatcher.Lane> lanes = new ArrayList<>();
        for (Channel c : channels) {
            lanes.add(lane(config, c));
        }
        return new Alerts(config, clock, lanes);
    }

    private static AlertDispatcher.Lane lane(AlertsConfig config, Channel c) {
        if (c.type().equals("email")) {
            AlertsConfig.Email e = config.email();
            return new AlertDispatcher.Lane(c, or(e.minSeverity(), config.minSeverity()),
                    or(e.digestInterval(), config.digestInterval()), or(e.maxPerHour(), config.maxPerHour()));
        }
        AlertsConfig.Webhook w = config.webhooks().stream().filter(x -> x.name().equals(c.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no webhook named " + c.name()));
        return new AlertDispatcher.Lane(c, or(w.minSeverity(), config.minSeverity()),
                or(w.digestInterval(), config.digestInterval()), or(w.maxPerHour(), config.maxPerHour()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "tollguard" : env;
        }
    }

    /** What decisions and agent events are told to. */
    public AlertListener listener() {
        return listener;
    }

    public List<ChannelStatus> channels() {
        return dispatcher.status();
    }

    /** Alerts lost because the queue was full. */
    public long dropped() {
        return dispatcher.dropped();
    }

    @Override
    public void close() {
        listener.close();
        dispatcher.close();
    }
}
