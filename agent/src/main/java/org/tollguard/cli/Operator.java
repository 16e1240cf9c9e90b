package org.tollguard.cli;

/** Who runs the command, as the record of a ban or block names them: the Unix user, and the sudo caller if any. */
final class Operator {
    private Operator() {}

    static String current() {
        return of(System.getProperty("user.name", "unknown"), System.getenv("SUDO_USER"));
    }

    /** {@code user}, or {@code alice (via sudo as root)} when {@code sudoUser} ran it through sudo. */
    static String of(String user, String sudoUser) {
        return sudoUser == null || sudoUser.isBlank() || sudoUser.equals(user) ? user : sudoUser + " (via sudo as " + user + ")";
    }
}
