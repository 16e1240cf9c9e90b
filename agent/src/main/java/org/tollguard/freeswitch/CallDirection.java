package org.tollguard.freeswitch;

import java.util.List;
import org.tollguard.config.FreeSwitchConfig;

/**
 * Which FreeSWITCH legs go to a provider ("trunk legs"): a local account's call becomes outgoing when FreeSWITCH
 * creates such a leg for it (see {@link CallTracker}). A trunk leg is a leg FreeSWITCH created (Call-Direction
 * {@code outbound}) that mod_sofia sent to a gateway ({@code sip_gateway_name} is set on every leg it creates for
 * a gateway), or whose channel name starts with one of {@code trunk-leg-prefixes} ({@code sofia/gateway/},
 * {@code sofia/external/}: mod_sofia names its legs {@code sofia/<profile>/<destination>}). Legs to phones
 * ({@code sofia/internal/...}, {@code user/...}) and FreeSWITCH's own plumbing are not.
 *
 * <p>The leg must be outbound even when its name matches: an inbound leg on the {@code external} profile is a
 * provider's call coming in, not a leg towards one.
 */
final class CallDirection {
    private final List<String> trunkLegPrefixes;

    CallDirection(List<String> trunkLegPrefixes) {
        this.trunkLegPrefixes = List.copyOf(trunkLegPrefixes);
    }

    static CallDirection of(FreeSwitchConfig config) {
        return new CallDirection(config.trunkLegPrefixes());
    }

    boolean isTrunkLeg(ChannelFields leg) {
        return "outbound".equalsIgnoreCase(leg.direction())
                && (leg.gatewayName() != null || hasTrunkName(leg.channelName()));
    }

    /** The channel table has no variables: only the name tells. */
    boolean isTrunkLeg(ChannelRows.Row row) {
        return "outbound".equalsIgnoreCase(row.direction()) && hasTrunkName(row.name());
    }

    private boolean hasTrunkName(String channelName) {
        if (channelName == null) {
            return false;
        }
        for (String prefix : trunkLegPrefixes) {
            if (channelName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
