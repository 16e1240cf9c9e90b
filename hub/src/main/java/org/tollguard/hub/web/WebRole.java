package org.tollguard.hub.web;

import io.javalin.security.RouteRole;

/** Who may call a page or API route of the review pages. {@link #ADMIN} includes everything a reviewer may do. */
public enum WebRole implements RouteRole {
    /** the login page and the pages' own CSS */
    ANYONE,
    REVIEWER,
    ADMIN,
    /** the reseller portal: resellers and customers within their tenant, admins everywhere */
    PORTAL,
    /** any logged-in user (log out, the landing redirect) */
    SIGNED_IN,
    /** the admin API: a bearer token from {@code admin_api_token}, no session, no CSRF */
    ADMIN_API
}
