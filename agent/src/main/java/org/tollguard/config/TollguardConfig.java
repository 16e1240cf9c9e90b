package org.tollguard.config;

import org.tollguard.alerts.AlertsConfig;
import org.tollguard.numbers.NumbersConfig;
import org.tollguard.spend.IdsConfig;

/** The whole configuration file. Every section is optional and has documented defaults. */
public record TollguardConfig(
        LogConfig log,
        StoreConfig store,
        ApiConfig api,
        AsteriskConfig asterisk,
        BanConfig ban,
        FirewallConfig firewall,
        NumbersConfig numbers,
        CallsConfig calls,
        FreeSwitchConfig freeswitch,
        AlertsConfig alerts,
        MetricsConfig metrics,
        BlacklistConfig blacklist,
        IdsConfig ids,
        HubConfig hub) {

    public TollguardConfig {
        log = log == null ? LogConfig.defaults() : log;
        store = store == null ? StoreConfig.defaults() : store;
        api = api == null ? ApiConfig.defaults() : api;
        asterisk = asterisk == null ? AsteriskConfig.defaults() : asterisk;
        ban = ban == null ? BanConfig.defaults() : ban;
        firewall = firewall == null ? FirewallConfig.defaults() : firewall;
        numbers = numbers == null ? NumbersConfig.defaults() : numbers;
        calls = calls == null ? CallsConfig.builtIn() : calls;
        freeswitch = freeswitch == null ? FreeSwitchConfig.defaults() : freeswitch;
        alerts = alerts == null ? AlertsConfig.defaults() : alerts;
        metrics = metrics == null ? MetricsConfig.defaults() : metrics;
        hub = hub == null ? HubConfig.defaults() : hub;
        blacklist = (blacklist == null ? BlacklistConfig.defaults() : blacklist).withHub(hub);
        ids = ids == null ? IdsConfig.defaults() : ids;
        ids.checkGroups(calls.groups().keySet());
    }

    public static TollguardConfig defaults() {
        return new TollguardConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
