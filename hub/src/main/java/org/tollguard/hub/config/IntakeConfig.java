package org.tollguard.hub.config;

import java.time.Duration;
import org.tollguard.protocol.ReportBatch;
import org.tollguard.yamlconfig.Checks;

/**
 * {@code intake:} report batches. Each agent may send {@code rate} reports per second on average with bursts of
 * {@code burst}; reports are kept for {@code retention}.
 */
public record IntakeConfig(Integer maxBodyBytes, Integer maxReports, Double rate, Integer burst, Duration retention) {
    public IntakeConfig {
        maxBodyBytes = maxBodyBytes == null ? 1 << 20 : maxBodyBytes;
        maxReports = maxReports == null ? ReportBatch.MAX_REPORTS : maxReports;
        rate = rate == null ? 20.0 : rate;
        burst = burst == null ? 1000 : burst;
        retention = retention == null ? Duration.ofDays(90) : retention;
        Checks.atLeast("max-body-bytes", maxBodyBytes, 1024);
        Checks.atLeast("max-reports", maxReports, 1);
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate: must be more than 0 reports per second");
        }
        Checks.atLeast("burst", burst, maxReports);
        Checks.positive("retention", retention);
    }

    public static IntakeConfig defaults() {
        return new IntakeConfig(null, null, null, null, null);
    }
}
