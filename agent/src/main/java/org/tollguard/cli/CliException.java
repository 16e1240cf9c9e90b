package org.tollguard.cli;

/** A CLI failure with a message meant for the operator. */
class CliException extends Exception {
    CliException(String message) {
        super(message);
    }
}
