package org.tollguard.hub.portal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Checks an allowed network as the agent will read it: an IPv4 or IPv6 address, optionally with /prefix. */
final class Networks {
    private Networks() {}

    static void check(String network) {
        String[] parts = network.split("/", -1);
        String address = parts[0];
        if (parts.length > 2 || !address.matches("[0-9a-fA-F:.]+") || address.isEmpty()) {
            throw new IllegalArgumentException("allowed-networks: '" + network + "' is not an address or network");
        }
        try {
            InetAddress parsed = InetAddress.getByName(address);
            int max = parsed.getAddress().length * 8;
            if (parts.length == 2) {
                int prefix = Integer.parseInt(parts[1]);
                if (prefix < 0 || prefix > max) {
                    throw new IllegalArgumentException("allowed-networks: '" + network + "' has a prefix beyond /" + max);
                }
            }
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("allowed-networks: '" + network + "' is not an address or network");
        }
    }
}
