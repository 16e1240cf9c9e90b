package org.tollguard.hub.listing;

import java.sql.Connection;
import java.sql.SQLException;

/** Told, inside the listing's own transaction, about each network that was not listed before. */
@FunctionalInterface
public interface NewListings {
    NewListings NONE = (c, network, by) -> { };

    void listed(Connection c, String network, String listedBy) throws SQLException;
}
