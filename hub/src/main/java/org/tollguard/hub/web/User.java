package org.tollguard.hub.web;

/** A person who logs in to the review pages. */
public record User(long id, String username, UserRole role, boolean disabled) {
    /** How the audit log names a person. */
    public String actor() {
        return "user:" + username;
    }
}
