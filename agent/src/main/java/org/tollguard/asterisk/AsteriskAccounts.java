package org.tollguard.asterisk;

/** What tollguard calls an account on Asterisk: the channel's accountcode if set, else its PJSIP endpoint. */
final class AsteriskAccounts {
    private AsteriskAccounts() {}

    static String of(String accountCode, String channel) {
        if (accountCode != null && !accountCode.isBlank()) {
            return accountCode.strip();
        }
        return endpointOf(channel);
    }

    /** {@code PJSIP/1001-0000002a} → {@code 1001}; anything else → the channel name without its sequence. */
    static String endpointOf(String channel) {
        if (channel == null) {
            return "";
        }
        int slash = channel.indexOf('/');
        int dash = channel.lastIndexOf('-');
        String name = slash >= 0 && dash > slash ? channel.substring(slash + 1, dash) : channel;
        return name;
    }

    /** Local channels and other internal legs are not calls from a phone. */
    static boolean isPhoneChannel(String channel) {
        return channel != null && (channel.startsWith("PJSIP/") || channel.startsWith("SIP/") || channel.startsWith("IAX2/"));
    }
}
