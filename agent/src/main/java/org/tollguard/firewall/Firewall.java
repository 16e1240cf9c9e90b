package org.tollguard.firewall;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;

/**
 * An enforcer of IP bans in the kernel firewall. A ban drops every packet from the address (or, when ports are
 * configured, every udp and tcp packet to those ports) before connection tracking sees it, so traffic that
 * already flows stops too, and the address's tracked connections are deleted. The kernel expires timed bans by
 * itself, so a ban lifts even while the agent is down.
 *
 * <p>Implementations are safe for use from several threads.
 */
public interface Firewall {

    /** {@code ipset}, {@code nftables} or {@code log}. */
    String name();

    /** Creates our sets, chains and rules, or brings existing ones up to date; keeps bans in place; idempotent. */
    void setUp() throws FirewallException;

    /**
     * Bans an address. Banning it again replaces its timeout. Returns once the kernel drops the address's packets;
     * its tracked connections are deleted right after on a worker thread (failures there are logged, not thrown).
     *
     * @param timeout how long the ban lasts, rounded up to a whole second; {@code null} for a permanent ban
     * @throws IllegalArgumentException if the timeout is zero or negative
     * @throws FirewallException        if a command fails, the ban set is full, or the address is one that is
     *                                  never banned (loopback, unspecified, multicast)
     */
    void ban(InetAddress address, Duration timeout) throws FirewallException;

    /** Lifts a ban; no error if the address is not banned. */
    void unban(InetAddress address) throws FirewallException;

    /** The addresses in our ban sets now, as canonical text ({@link org.tollguard.net.IpAddresses#format}). */
    Set<String> listBanned() throws FirewallException;

    /** Removes our rules, chains and sets (and every ban in them); leaves everything else; idempotent. */
    void tearDown() throws FirewallException;
}
