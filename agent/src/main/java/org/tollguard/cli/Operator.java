package org.tollguard.cli;

/** Who runs the command, as the record of a ban or block names them: the Unix user, and the sudo caller if any. */
final class Operator {
    private Operator() {}

    static String current() {
        String user = System.getProperty("user.name", "unknown");
        String sudoUser = System.getenv("SUDO_USER");
        return sudoUser == null || sudoUser.isBlank() || sudoUser.equals(user) ? user : sudoUser + " (via sudo as " + user + ")";
    }
}
