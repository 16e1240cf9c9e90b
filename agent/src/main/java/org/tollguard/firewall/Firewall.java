package org.tollguard.firewall;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.tollguard.net.Cidr;

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

    /**
     * What of our set-up is missing or changed now (another tool flushed our rules, deleted our sets or chains, or
     * moved our hook), in words for the operator; empty when everything is in place.
     */
    List<String> damage() throws FirewallException;

    /** Removes our rules, chains and sets (and every ban in them); leaves everything else; idempotent. */
    void tearDown() throws FirewallException;

    // --- community lists: whole lists of networks, matched like bans, separate from them ---

    /** What a list name may be: it becomes part of set and chain names. */
    Pattern LIST_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,14}");

    /**
     * Replaces the community list {@code name} (IPv4 and IPv6 networks, any prefix lengths, overlaps allowed) in
     * one atomic step: it is loaded beside the current one and swapped in, so every packet sees either the whole
     * old list or the whole new one. Creates the list and its match rules if it is new.
     *
     * @throws FirewallException if a command fails; the list in force is then the old one
     */
    void replaceList(String name, Collection<Cidr> networks) throws FirewallException;

    /**
     * Adds and removes networks of an existing list in one step. Adding a network that is there, or removing one
     * that is not, is no error.
     *
     * @throws FirewallException if the list does not exist (call {@link #replaceList}) or a command fails
     */
    void updateList(String name, Collection<Cidr> add, Collection<Cidr> remove) throws FirewallException;

    /** How many networks the list holds in the kernel now, or -1 if there is no such list. */
    long listSize(String name) throws FirewallException;

    /** The names of the community lists in the kernel now. */
    Set<String> listNames() throws FirewallException;

    /** Removes a list, its sets and its rules; no error if it is not there. */
    void removeList(String name) throws FirewallException;

    static void checkListName(String name) {
        if (name == null || !LIST_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a list name");
        }
    }
}
