package org.tollguard.hub.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tollguard.hub.db.Database;
import org.tollguard.protocol.ListFile;
import org.tollguard.protocol.ListSigner;
import org.tollguard.protocol.PolicyLimits;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.SignedPolicy;
import org.tollguard.protocol.SitePolicy;
import org.tollguard.protocol.TrustedComment;

/**
 * Each site's signed policy: composed from the settings (customer, then site; groups and accounts), the reseller's
 * fraudulent prefixes and the portal's account blocks; signed and stored as a new version only when what it says
 * changed. The site's row is locked meanwhile, so two hub instances never make the same version twice.
 */
public final class SitePolicies {
    /** How long a signature vouches for a policy: bounds how long a captured one could be shown to a new agent. */
    static final Duration VALIDITY = Duration.ofDays(365);

    private final Database db;
    private final ListSigner signer;
    private final Clock clock;

    public SitePolicies(Database db, ListSigner signer, Clock clock) {
        this.db = db;
        this.signer = signer;
        this.clock = clock;
    }

    /** Re-composes the site's policy; a new signed version if it says something new. Returns the version in force. */
    long refresh(Connection c, long siteId) throws SQLException {
        long customerId;
        long resellerId;
        try (PreparedStatement s = c.prepareStatement("select s.operator_id, coalesce(o.reseller_id, 0) from site s "
                + "join operator o on o.id = s.operator_id where s.id = ? for update of s")) {
            s.setLong(1, siteId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new NotFound("no site " + siteId);
                }
                customerId = r.getLong(1);
                resellerId = r.getLong(2);
            }
        }
        SitePolicy content = compose(c, siteId, customerId, resellerId);
        String contentText = json(content);
        long version = 0;
        try (PreparedStatement s = c.prepareStatement("select version, content from site_policy where site_id = ?")) {
            s.setLong(1, siteId);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    version = r.getLong(1);
                    if (r.getString(2).equals(contentText)) {
                        return version;
                    }
                }
            }
        }
        long next = version + 1;
        Instant created = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        SitePolicy policy = new SitePolicy(content.protocol(), siteId, next, created, content.defaults(),
                content.groups(), content.accounts(), content.fraudPrefixes(), content.blockedAccounts());
        String body = json(policy);
        String signature = signer.sign(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), new TrustedComment(
                ListFile.POLICY, SitePolicy.signedName(siteId), next, created, created.plus(VALIDITY)));
        try (PreparedStatement s = c.prepareStatement("insert into site_policy (site_id, version, content, body, "
                + "signature, created) values (?, ?, ?, ?, ?, ?) on conflict (site_id) do update set "
                + "version = excluded.version, content = excluded.content, body = excluded.body, "
                + "signature = excluded.signature, created = excluded.created")) {
            s.setLong(1, siteId);
            s.setLong(2, next);
            s.setString(3, contentText);
            s.setString(4, body);
            s.setString(5, signature);
            s.setTimestamp(6, Timestamp.from(created));
            s.executeUpdate();
        }
        return next;
    }

    void refreshCustomer(Connection c, long customerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select id from site where operator_id = ? order by id")) {
            s.setLong(1, customerId);
            List<Long> sites = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    sites.add(r.getLong(1));
                }
            }
            for (long site : sites) {
                refresh(c, site);
            }
        }
    }

    /** The signed policy in force for the site, making the first version if there is none yet. */
    public SignedPolicy signed(long siteId) throws SQLException {
        Optional<SignedPolicy> stored = stored(siteId);
        if (stored.isPresent()) {
            return stored.get();
        }
        db.transaction(c -> refresh(c, siteId));
        return stored(siteId).orElseThrow();
    }

    /** The policy in force as the portal shows it (unsigned, decoded). */
    public Optional<SitePolicy> current(long siteId) throws SQLException {
        Optional<SignedPolicy> stored = stored(siteId);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProtocolJson.mapper().readValue(stored.get().policy(), SitePolicy.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored policy of site " + siteId + " is not readable", e);
        }
    }

    private Optional<SignedPolicy> stored(long siteId) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select version, body, signature from site_policy where site_id = ?")) {
            s.setLong(1, siteId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new SignedPolicy(ProtocolJson.VERSION, r.getLong(1), r.getString(2),
                        r.getString(3))) : Optional.empty();
            }
        }
    }

    private static SitePolicy compose(Connection c, long siteId, long customerId, long resellerId) throws SQLException {
        PolicyLimits customer = PolicySettings.read(c, PolicyLevel.customer(customerId));
        PolicyLimits site = PolicySettings.read(c, PolicyLevel.site(customerId, siteId));
        return new SitePolicy(ProtocolJson.VERSION, siteId, 0, Instant.EPOCH, site.over(customer),
                PolicySettings.named(c, customerId, siteId, PolicyLevel.Scope.GROUP),
                PolicySettings.named(c, customerId, siteId, PolicyLevel.Scope.ACCOUNT),
                fraudPrefixes(c, resellerId), AccountBlocks.active(c, siteId));
    }

    private static List<String> fraudPrefixes(Connection c, long resellerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select prefix from fraud_prefix where reseller_id = ? order by prefix")) {
            s.setLong(1, resellerId);
            List<String> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }

    private static String json(SitePolicy policy) {
        try {
            return ProtocolJson.mapper().writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a site policy", e);
        }
    }
}
