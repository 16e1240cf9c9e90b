package org.tollguard.hub.portal;

/** A customer, site or account that does not exist, or that the user may not see (the two look the same). */
public final class NotFound extends RuntimeException {
    public NotFound(String message) {
        super(message);
    }
}
