package org.tollguard.hub.portal;

import java.util.Set;

/** A reseller's customer (an {@code operator} row) and the policy keys its own users may change. */
public record Customer(long id, String name, Long resellerId, String reseller, Set<PolicyKey> customerMayEdit) {}
