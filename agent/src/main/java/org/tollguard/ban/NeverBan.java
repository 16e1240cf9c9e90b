package org.tollguard.ban;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollguard.net.Cidr;
import org.tollguard.net.IpAddresses;

/**
 * Addresses the agent must never ban: loopback, unspecified and multicast addresses, the host's own addresses,
 * the PBX's own addresses as it reports them, and the operator's allowlist.
 */
public final class NeverBan {
    private static final Logger log = LoggerFactory.getLogger(NeverBan.class);

    private final List<Cidr> allowlist;
    private final Set<InetAddress> ownAddresses = ConcurrentHashMap.newKeySet();

    public NeverBan(List<Cidr> allowlist) {
        this.allowlist = List.copyOf(allowlist);
        refreshOwnAddresses();
    }

    /** Re-reads the host's interface addresses (they change with DHCP, VPNs, containers). */
    public void refreshOwnAddresses() {
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    ownAddresses.add(IpAddresses.parse(IpAddresses.format(a)));
                }
            }
        } catch (SocketException e) {
            log.warn("cannot list own addresses error=\"{}\"", e.getMessage());
        }
    }

    /** The PBX's own address (an event's LocalAddress) must never be banned either. */
    public void addPbxAddress(InetAddress address) {
        if (ownAddresses.add(address)) {
            log.info("pbx address noted address={}", IpAddresses.format(address));
        }
    }

    /** The host's and the PBX's own addresses known now (community lists must not hold them either). */
    public Set<InetAddress> ownAddresses() {
        return Set.copyOf(ownAddresses);
    }

    /** The operator's allowlist. */
    public List<Cidr> allowlist() {
        return allowlist;
    }

    /** Why {@code address} may not be banned, or empty if it may. */
    public Optional<String> whyProtected(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast address");
        }
        if (ownAddresses.contains(address)) {
            return Optional.of("own address");
        }
        for (Cidr c : allowlist) {
            if (c.contains(address)) {
                return Optional.of("allowlist " + c);
            }
        }
        return Optional.empty();
    }
}
