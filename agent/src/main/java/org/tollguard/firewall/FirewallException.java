package org.tollguard.firewall;

/** A firewall change or query failed; the message names the command and what it printed on stderr. */
public final class FirewallException extends Exception {
    public FirewallException(String message) {
        super(message);
    }

    public FirewallException(String message, Throwable cause) {
        super(message, cause);
    }
}
