package org.tollguard.api;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.tollguard.ban.BanControl;
import org.tollguard.decision.ActiveDecision;
import org.tollguard.yamlconfig.Durations;
import org.tollguard.decision.Decision;

/** {@code GET /v1/bans}, {@code POST /v1/bans}, {@code DELETE /v1/bans/ADDRESS?reason=...}. */
public final class BanRoutes implements Route {
    private final BanControl bans;
    private final Clock clock;

    public BanRoutes(BanControl bans, Clock clock) {
        this.bans = bans;
        this.clock = clock;
    }

    /** A ban as the CLI shows it. */
    /**
     * @param enforcement held (in the kernel), pending, failed (not in the kernel: being retried) or unenforced
     * @param error       why it failed, null unless failed
     */
    public record BanView(String address, String reason, String origin, String created, String expires,
                          Long remainingSeconds, Map<String, Object> evidence, String enforcement, String error) {
        static BanView of(ActiveDecision a, Clock clock) {
            Decision d = a.decision();
            Duration left = d.remaining(clock.instant());
            return new BanView(d.target().text(), d.reason(), d.origin().id(), d.created().toString(),
                    d.expires() == null ? null : d.expires().toString(), left == null ? null : left.toSeconds(), d.evidence(),
                    a.enforcement().state().id(), a.enforcement().error());
        }
    }

    /** What {@code tollguard ban} sends; {@code by} is the Unix user running it. */
    public record BanRequest(String address, String duration, String reason, String by) {}

    @Override
    public Object handle(ApiRequest r) {
        switch (r.method()) {
            case "GET":
                return bans.active().stream().map(d -> BanView.of(d, clock)).toList();
            case "POST": {
                BanRequest req = r.bodyAs(BanRequest.class);
                Duration d = req.duration() == null || req.duration().equals("permanent") ? null : Durations.parse(req.duration());
                return BanView.of(bans.ban(req.address(), d, req.reason(), ApiRequest.operator(req.by())), clock);
            }
            case "DELETE": {
                if (r.rest().isEmpty()) {
                    throw new ApiException(400, "DELETE /v1/bans/ADDRESS");
                }
                int lifted = bans.unban(r.rest(), ApiRequest.operator(r.query("by", null)),
                        r.query("reason", "unbanned by operator"));
                return Map.of("address", r.rest(), "lifted", lifted);
            }
            default:
                throw ApiException.methodNotAllowed(r);
        }
    }
}
