package org.tollguard.bench;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tollguard.asterisk.AmiAdapter;
import org.tollguard.ban.BanControl;
import org.tollguard.ban.BanEngine;
import org.tollguard.ban.NeverBan;
import org.tollguard.config.TollguardConfig;
import org.tollguard.decision.Decisions;
import org.tollguard.firewall.Firewall;
import org.tollguard.firewall.FirewallEnforcer;
import org.tollguard.firewall.FirewallException;
import org.tollguard.firewall.Firewalls;
import org.tollguard.net.IpAddresses;
import org.tollguard.pbx.AuthEvent;
import org.tollguard.pbx.PbxEventListener;
import org.tollguard.store.DecisionRepository;
import org.tollguard.store.Store;
import org.tollguard.store.TrustRepository;

/**
 * The agent's data path wired as {@link org.tollguard.Agent#start} wires it (store, decisions, firewall enforcer,
 * ban engine, AMI adapter; the admin API left out), with two probes: one between the AMI adapter and the ban
 * engine that stamps every security event as it is handed over, and one around {@link Firewall#ban} that stamps
 * entry and return. Both use {@link System#nanoTime()} and, for matching with packet captures, the wall clock.
 */
final class InstrumentedAgent implements AutoCloseable {
    /** One security event as the AMI adapter handed it to the ban engine. */
    record Seen(String type, String outcome, long nanos, long epochMicros) {}

    /** One call of {@link Firewall#ban}. */
    record BanCall(String address, long enterNanos, long returnNanos, long returnEpochMicros, String error) {}

    private final Map<String, List<Seen>> seen = new ConcurrentHashMap<>();
    private final Map<String, List<BanCall>> banCalls = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    final Firewall firewall;
    final BanEngine engine;
    final BanControl bans;
    final AmiAdapter ami;

    InstrumentedAgent(TollguardConfig config, Set<String> watched) throws FirewallException {
        Clock clock = Clock.systemUTC();
        Store store = Store.open(config.store().path());
        closeables.add(store);
        DecisionRepository repository = new DecisionRepository(store);
        Decisions decisions = new Decisions(repository, clock);
        firewall = new TimedFirewall(Firewalls.create(config.firewall()));
        firewall.setUp();
        decisions.addEnforcer(new FirewallEnforcer(firewall, clock));
        NeverBan neverBan = new NeverBan(config.ban().allowlist());
        engine = new BanEngine(config.ban(), clock, decisions, neverBan, new TrustRepository(store));
        closeables.add(0, engine);
        bans = new BanControl(decisions, neverBan, engine, clock);
        decisions.restore();
        PbxEventListener probe = event -> {
            if (event instanceof AuthEvent auth) {
                String address = IpAddresses.format(auth.address());
                if (watched.contains(address)) {
                    seen.computeIfAbsent(address, a -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(new Seen(auth.type(), auth.outcome().name(), System.nanoTime(), epochMicros()));
                }
            }
            engine.onEvent(event);
        };
        ami = new AmiAdapter(config.asterisk(), clock, probe);
        closeables.add(0, ami);
        ami.start();
    }

    void awaitConnected(Duration max) {
        Bench.waitUntil(max, ami::isConnected, "AMI connection");
    }

    /** Takes (and forgets) what was recorded for {@code address}. */
    List<Seen> takeSeen(String address) {
        List<Seen> list = seen.remove(address);
        return list == null ? List.of() : List.copyOf(list);
    }

    List<BanCall> takeBanCalls(String address) {
        List<BanCall> list = banCalls.remove(address);
        return list == null ? List.of() : List.copyOf(list);
    }

    static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    /** Stamps every ban. */
    private final class TimedFirewall implements Firewall {
        private final Firewall delegate;

        TimedFirewall(Firewall delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void setUp() throws FirewallException {
            delegate.setUp();
        }

        @Override
        public List<String> damage() throws FirewallException {
            return delegate.damage();
        }

        @Override
        public void ban(InetAddress address, Duration timeout) throws FirewallException {
            long enter = System.nanoTime();
            String error = null;
            try {
                delegate.ban(address, timeout);
            } catch (FirewallException | RuntimeException e) {
                error = e.getMessage();
                throw e;
            } finally {
                long ret = System.nanoTime();
                banCalls.computeIfAbsent(IpAddresses.format(address), a -> java.util.Collections.synchronizedList(new ArrayList<>()))
                        .add(new BanCall(IpAddresses.format(address), enter, ret, epochMicros(), error));
            }
        }

        @Override
        public void unban(InetAddress address) throws FirewallException {
            delegate.unban(address);
        }

        @Override
        public Set<String> listBanned() throws FirewallException {
            return delegate.listBanned();
        }

        @Override
        public void tearDown() throws FirewallException {
            delegate.tearDown();
        }

        @Override
        public void replaceList(String name, java.util.Collection<org.tollguard.net.Cidr> networks) throws FirewallException {
            delegate.replaceList(name, networks);
        }

        @Override
        public void updateList(String name, java.util.Collection<org.tollguard.net.Cidr> add,
                               java.util.Collection<org.tollguard.net.Cidr> remove) throws FirewallException {
            delegate.updateList(name, add, remove);
        }

        @Override
        public long listSize(String name) throws FirewallException {
            return delegate.listSize(name);
        }

        @Override
        public Set<String> listNames() throws FirewallException {
            return delegate.listNames();
        }

        @Override
        public void removeList(String name) throws FirewallException {
            delegate.removeList(name);
        }
    }
}
