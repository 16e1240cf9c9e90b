package org.tollguard.hub.portal;

import java.time.Clock;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.enroll.Enrollment;
import org.tollguard.protocol.ListSigner;

/** The portal's parts, made once per hub instance and handed to its pages and its agent routes. */
public record Portal(Tenants tenants, SitePolicies policies, PolicyEditor editor, AccountBlocks blocks, Fleet fleet,
                     Enrollment enrollment, Clock clock) {
    public static Portal create(Database db, ListSigner signer, Enrollment enrollment, Clock clock) {
        Tenants tenants = new Tenants(db);
        SitePolicies policies = new SitePolicies(db, signer, clock);
        return new Portal(tenants, policies, new PolicyEditor(db, tenants, policies),
                new AccountBlocks(db, tenants, policies, clock), new Fleet(db, clock), enrollment, clock);
    }
}
