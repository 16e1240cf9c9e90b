package org.tollguard.hub.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tollguard.hub.support.HubClient;
import org.tollguard.hub.support.MutableClock;
import org.tollguard.hub.support.ReviewHub;
import org.tollguard.protocol.Heartbeat;
import org.tollguard.protocol.HubPaths;
import org.tollguard.protocol.ListRejectedException;
import org.tollguard.protocol.ListSigner;
import org.tollguard.protocol.ListVerifier;
import org.tollguard.protocol.PolicyLimits;
import org.tollguard.protocol.PolicyVerifier;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.SignedPolicy;
import org.tollguard.protocol.SitePolicy;
import org.tollguard.protocol.minisign.MinisignPublicKey;
import org.tollguard.protocol.minisign.MinisignSecretKey;

/**
 * Tenants, settings and signed site policies of a real hub on PostgreSQL, fetched over HTTP as an agent fetches
 * them and verified against the hub's public key.
 */
class PortalIT {
    private static final MutableClock clock = new MutableClock(Instant.now());
    private static ReviewHub hub;
    private static HubClient http;
    private static Path dir;
    private static Portal portal;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("portal-it");
        hub = ReviewHub.start(dir, clock);
        http = new HubClient(Integer.parseInt(hub.url().replaceAll(".*:", "")));
        portal = Portal.create(hub.db(), new ListSigner(MinisignSecretKey.read(dir.resolve("hub.key"))), null, clock);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    private static PolicyVerifier verifier() throws Exception {
        return new PolicyVerifier(new ListVerifier(List.of(MinisignPublicKey.read(dir.resolve("hub.pub"))),
                Clock.systemUTC()));
    }

    private static SignedPolicy fetch(String credential) throws Exception {
        HttpResponse<byte[]> answer = http.get(HubPaths.POLICY, "Authorization", "Bearer " + credential);
        assertEquals(200, answer.statusCode(), HubClient.text(answer));
        return HubClient.read(answer, SignedPolicy.class);
    }

    private static long siteOf(TenantScope scope, long customer, String name) throws Exception {
        return portal.tenants().sites(scope, customer).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow().id();
    }

    @Test
    void aResellersCustomerSettingsReachItsAgentSignedAndVersioned() throws Exception {
        long reseller = portal.tenants().createReseller("Voip Reseller A");
        TenantScope scope = TenantScope.reseller(reseller);
        long customer = portal.tenants().createCustomer(scope, reseller, "Bakery Jansen");
        String credential = hub.enroll("bakery-office", "Bakery Jansen");
        long site = siteOf(scope, customer, "bakery-office");

        SignedPolicy first = fetch(credential);
        SitePolicy empty = verifier().verify(first, site, 0);
        assertEquals(1, empty.version());
        assertTrue(empty.defaults().isEmpty(), "nothing set yet: the agent's own config rules");

        portal.editor().write(scope, PolicyLevel.customer(customer),
                new PolicyLimits(new BigDecimal("25"), 2, Duration.ofHours(2), List.of("international"), null, null),
                "user:reseller-a");
        SignedPolicy second = fetch(credential);
        SitePolicy policy = verifier().verify(second, site, empty.version());
        assertEquals(2, policy.version());
        assertEquals(0, new BigDecimal("25").compareTo(policy.defaults().delta()));
        assertEquals(2, policy.defaults().maxConcurrent());
        assertEquals(Duration.ofHours(2), policy.defaults().maxDuration());

        HttpResponse<byte[]> unchanged = http.get(HubPaths.POLICY, "Authorization", "Bearer " + credential,
                "If-None-Match", "\"policy-2\"");
        assertEquals(304, unchanged.statusCode());

        // the site overrides the cap; an account gets its own delta
        PolicyEditor editor = portal.editor();
        editor.write(scope, PolicyLevel.site(customer, site), new PolicyLimits(null, 3, null, null, null, null), "user:r");
        editor.write(scope, new PolicyLevel(customer, site, PolicyLevel.Scope.ACCOUNT, "201"),
                new PolicyLimits(new BigDecimal("5"), null, null, null, null, List.of("198.51.100.0/24")), "user:r");
        SitePolicy third = verifier().verify(fetch(credential), site, policy.version());
        assertEquals(3, third.defaults().maxConcurrent());
        assertEquals(0, new BigDecimal("25").compareTo(third.defaults().delta()), "the customer's delta still holds");
        assertEquals(List.of("198.51.100.0/24"), third.accounts().get("201").allowedNetworks());

        // an account's customer-wide settings, under the site's own for that account
        editor.write(scope, new PolicyLevel(customer, null, PolicyLevel.Scope.ACCOUNT, "201"),
                new PolicyLimits(new BigDecimal("9"), 4, null, null, null, null), "user:r");
        SitePolicy fourth = verifier().verify(fetch(credential), site, third.version());
        assertEquals(0, new BigDecimal("5").compareTo(fourth.accounts().get("201").delta()), "the site's row wins");
        assertEquals(4, fourth.accounts().get("201").maxConcurrent(), "the customer-wide row fills the rest");

        // saving the same settings again makes no new version
        editor.write(scope, PolicyLevel.site(customer, site), new PolicyLimits(null, 3, null, null, null, null), "user:r");
        assertEquals(fourth.version(), fetch(credential).version());

        // a replayed older policy is refused by the agent's verifier
        ListRejectedException replay = assertThrows(ListRejectedException.class,
                () -> verifier().verify(second, site, fourth.version()));
        assertTrue(replay.getMessage().contains("replayed or rolled back"), replay.getMessage());
        // and one signed for another site is refused too
        assertThrows(ListRejectedException.class, () -> verifier().verify(second, site + 1, 0));
        // a tampered body is refused
        SignedPolicy tampered = new SignedPolicy(1, fourth.version(),
                fetch(credential).policy().replace("\"max-concurrent\":3", "\"max-concurrent\":30"),
                fetch(credential).signature());
        assertThrows(ListRejectedException.class, () -> verifier().verify(tampered, site, 0));
    }

    @Test
    void aCustomerUserSeesOnlyItsOwnAndChangesOnlyWhatItsResellerLetsIt() throws Exception {
        long reseller = portal.tenants().createReseller("Voip Reseller B");
        TenantScope resellerScope = TenantScope.reseller(reseller);
        long mine = portal.tenants().createCustomer(resellerScope, reseller, "Garage Smit");
        long other = portal.tenants().createCustomer(resellerScope, reseller, "Dentist de Vries");
        hub.enroll("garage", "Garage Smit");
        long otherSite = siteOf(resellerScope, other, hubEnrolled("dentist", "Dentist de Vries"));

        TenantScope customer = TenantScope.customer(mine);
        assertEquals(List.of("Garage Smit"), portal.tenants().customers(customer).stream().map(Customer::name).toList());
        assertThrows(NotFound.class, () -> portal.tenants().customer(customer, other));
        assertThrows(NotFound.class, () -> portal.tenants().site(customer, otherSite));
        assertThrows(NotFound.class, () -> portal.tenants().createCustomer(customer, reseller, "Sneaky"));
        // another reseller sees none of B's customers
        long resellerC = portal.tenants().createReseller("Voip Reseller C");
        assertTrue(portal.tenants().customers(TenantScope.reseller(resellerC)).isEmpty());
        assertThrows(NotFound.class, () -> portal.tenants().customer(TenantScope.reseller(resellerC), mine));

        PolicyEditor editor = portal.editor();
        PolicyLimits delta = new PolicyLimits(new BigDecimal("10"), null, null, null, null, null);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> editor.write(customer, PolicyLevel.customer(mine), delta, "user:garage"));
        assertTrue(refused.getMessage().contains("does not let you change delta"), refused.getMessage());
        portal.tenants().setCustomerMayEdit(resellerScope, mine, EnumSet.of(PolicyKey.DELTA));
        editor.write(customer, PolicyLevel.customer(mine), delta, "user:garage");
        assertThrows(IllegalArgumentException.class, () -> editor.write(customer, PolicyLevel.customer(mine),
                new PolicyLimits(new BigDecimal("10"), 9, null, null, null, null), "user:garage"));
        assertThrows(IllegalArgumentException.class,
                () -> portal.tenants().setCustomerMayEdit(customer, mine, EnumSet.allOf(PolicyKey.class)));
        assertThrows(IllegalArgumentException.class, () -> editor.write(resellerScope, PolicyLevel.customer(mine),
                new PolicyLimits(null, null, null, List.of("emergency"), null, null), "user:r"));
    }

    @Test
    void aBlockGoesOutInTheNextPolicyWithWhoDidItAndAnUnblockTakesItBack() throws Exception {
        long reseller = portal.tenants().createReseller("Voip Reseller D");
        TenantScope scope = TenantScope.reseller(reseller);
        long customer = portal.tenants().createCustomer(scope, reseller, "Hotel Bos");
        String credential = hub.enroll("hotel", "Hotel Bos");
        long site = siteOf(scope, customer, "hotel");
        AccountBlocks blocks = portal.blocks();

        long version = blocks.block(scope, site, "301", "calls to Sierra Leone at night", "user:reseller-d");
        SitePolicy policy = verifier().verify(fetch(credential), site, 0);
        assertEquals(version, policy.version());
        assertEquals(List.of(new SitePolicy.AccountBlock("301", "user:reseller-d",
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), "calls to Sierra Leone at night")),
                policy.blockedAccounts());
        assertThrows(IllegalArgumentException.class,
                () -> blocks.block(TenantScope.customer(customer), site, "302", null, "user:hotel"));

        long after = blocks.unblock(scope, site, "301", "user:reseller-d");
        SitePolicy unblocked = verifier().verify(fetch(credential), site, policy.version());
        assertEquals(after, unblocked.version());
        assertTrue(unblocked.blockedAccounts().isEmpty());
        assertEquals(List.of("unblock", "block"), blocks.log(site, 10).stream().map(AccountBlocks.BlockLogEntry::action)
                .toList());
    }

    @Test
    void heartbeatsAreStoredAndASilentAgentShowsAsDownWithOneAlert() throws Exception {
        long reseller = portal.tenants().createReseller("Voip Reseller E");
        TenantScope scope = TenantScope.reseller(reseller);
        long customer = portal.tenants().createCustomer(scope, reseller, "School Oak");
        String credential = hub.enroll("school", "School Oak");
        long site = siteOf(scope, customer, "school");
        Heartbeat beat = new Heartbeat(1, "0.1.0",
                new Heartbeat.Health(true, "ok", 12, clock.instant(), 3, clock.instant(), null),
                new Heartbeat.Summary(List.of(new Heartbeat.LiveCall("201", "+4420700", "international",
                        clock.instant(), null)), List.of(new Heartbeat.AccountSpend("201", new BigDecimal("4.20"),
                        new BigDecimal("1.10"), new BigDecimal("26.10"), "EUR")), List.of("202"), List.of()));
        HttpResponse<byte[]> answer = http.postJson(HubPaths.HEARTBEAT, credential, beat);
        assertEquals(204, answer.statusCode(), HubClient.text(answer));
        Fleet fleet = portal.fleet();
        Fleet.SiteHealth health = fleet.health(site).orElseThrow();
        assertTrue(health.up());
        assertEquals(beat, health.heartbeat());

        HttpResponse<byte[]> wrong = http.post(HubPaths.HEARTBEAT, credential, "{\"protocol\":1,\"health\":7}".getBytes());
        assertEquals(400, wrong.statusCode());
        assertEquals(beat, fleet.health(site).orElseThrow().heartbeat(), "a bad heartbeat loses nothing stored");

        clock.advance(Fleet.DOWN_AFTER.plusSeconds(1));
        assertTrue(fleet.markDown() >= 1);
        assertFalse(fleet.health(site).orElseThrow().up());
        fleet.markDown();
        assertEquals(List.of("agent-down"), fleet.alerts(site, 10).stream().map(Fleet.FleetAlert::kind).toList(),
                "one alert per outage");
        assertEquals(204, http.postJson(HubPaths.HEARTBEAT, credential, beat).statusCode());
        assertEquals("agent-up", fleet.alerts(site, 10).get(0).kind());
    }

    private static String hubEnrolled(String site, String customer) throws Exception {
        hub.enroll(site, customer);
        return site;
    }

}
