package org.tollguard.decision;

import java.net.InetAddress;
import java.util.Objects;
import org.tollguard.net.Cidr;

/** What a decision acts on. Enforcers read the typed fields; {@link #text()} is for people and the store. */
public sealed interface Target {

    /** The address (or network) as operators write it, the account name, or the call's account. */
    String text();

    /** An address or a network: what the firewall bans. */
    record Address(Cidr network) implements Target {
        public Address {
            Objects.requireNonNull(network, "network");
        }

        public static Address of(InetAddress address) {
            return new Address(Cidr.of(address));
        }

        public static Address parse(String text) {
            return new Address(Cidr.parse(text));
        }

        @Override
        public String text() {
            return network.toString();
        }
    }

    /** A PBX account (SIP peer, endpoint, extension): what a block applies to. */
    record Account(String name) implements Target {
        public Account {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String text() {
            return name;
        }
    }

    /**
     * One call on one PBX: what a refusal or a hang-up applies to.
     *
     * @param pbx     the PBX adapter that carries it ("asterisk", "freeswitch")
     * @param cause   the Q.850 hang-up cause to give it
     * @param account whose call it is ("" when unknown)
     */
    record Call(String pbx, String callId, String account, int cause) implements Target {
        public Call {
            Objects.requireNonNull(pbx, "pbx");
            Objects.requireNonNull(callId, "callId");
            account = account == null ? "" : account;
        }

        @Override
        public String text() {
            return account;
        }
    }

    /** A community list source (an alert about its sync). */
    record ListSource(String name) implements Target {
        public ListSource {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String text() {
            return "list:" + name;
        }
    }
}
