package org.tollguard.api;

/** Handles the requests under one path prefix; returns the JSON body of a 200 answer. */
@FunctionalInterface
public interface Route {
    Object handle(ApiRequest request);
}
