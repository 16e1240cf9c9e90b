package org.tollguard.protocol;

/** Every 4xx/5xx answer of the hub: {@code {"error": "what is wrong"}}. */
public record ErrorBody(String error) {}
