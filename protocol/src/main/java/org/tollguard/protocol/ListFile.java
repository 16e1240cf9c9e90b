package org.tollguard.protocol;

/** The three kinds of signed file a list is published as; named in each signature's trusted comment. */
public enum ListFile {
    HEAD, SNAPSHOT, CHANGES;

    public String label() {
        return name().toLowerCase();
    }
}
