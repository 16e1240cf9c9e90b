package org.tollguard.protocol;

/**
 * The kinds of signed file the hub publishes, named in each signature's trusted comment: a list's head, snapshot
 * and changes, and a site's policy (whose "list" is the site, whose generation is the policy's version).
 */
public enum ListFile {
    HEAD, SNAPSHOT, CHANGES, POLICY;

    public String label() {
        return name().toLowerCase();
    }
}
