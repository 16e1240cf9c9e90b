package org.tollguard.hub.web;

/** What every page's frame shows: its title, which menu entry is current, who is logged in, the CSRF token. */
public record PageFrame(String title, String active, User user, String csrf, String notice) {
    public boolean isAdmin() {
        return user != null && user.role() == UserRole.ADMIN;
    }

    /** Whether the review pages are in this user's menu (portal users see the portal only). */
    public boolean reviews() {
        return user != null && (user.role() == UserRole.ADMIN || user.role() == UserRole.REVIEWER);
    }
}
