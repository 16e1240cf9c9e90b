package org.tollguard.hub.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tollguard.hub.config.AutoApproveConfig;
import org.tollguard.hub.config.IntakeConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.enroll.AgentIdentity;
import org.tollguard.hub.listing.Approvals;
import org.tollguard.protocol.ProtocolJson;
import org.tollguard.protocol.Report;
import org.tollguard.protocol.ReportAck;

/**
 * {@code POST /v1/reports}: checks a batch, takes it from the agent's rate bucket and stores its new reports in
 * one transaction, idempotent by (agent, report id): a batch sent again after a lost answer, to this instance or
 * another, is acknowledged again and counted once.
 */
public final class ReportIntake {
    private static final ObjectMapper JSON = ProtocolJson.mapper();
    private static final ObjectReader REPORT = JSON.copy()
            .registerModule(new SimpleModule().addDeserializer(Instant.class, new UtcInstantDeserializer()))
            .readerFor(Report.class);

    private final IntakeConfig config;
    private final Database db;
    private final RateLimit rateLimit;
    private final AutoApproveRule autoApprove;

    public ReportIntake(IntakeConfig config, AutoApproveConfig autoApprove, Database db, Approvals approvals,
                        Clock clock) {
        this.config = config;
        this.db = db;
        this.rateLimit = new RateLimit(config.rate(), config.burst());
        this.autoApprove = new AutoApproveRule(autoApprove, db, approvals, clock);
    }

    /** A report that passed its checks, with the JSON the agent sent, kept whole as evidence. */
    private record Accepted(Report report, String evidence) {}

    public ReportAck accept(AgentIdentity agent, byte[] body) throws IntakeRefused, SQLException {
        List<ReportAck.Rejection> rejected = new ArrayList<>();
        List<Accepted> valid = new ArrayList<>();
        for (BatchReader.Element element : BatchReader.read(body, config.maxReports())) {
            Report r;
            try {
                r = REPORT.readValue(element.body(), element.offset(), element.length());
            } catch (IOException e) {
                String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                rejected.add(new ReportAck.Rejection(idOf(element), "not a report: " + message));
                continue;
            }
            String evidence = element.text();
            String problem = ReportCheck.problem(r);
            if (problem == null && evidence.contains("\\u0000")) {
                problem = "contains a NUL character";
            }
            if (problem == null) {
                valid.add(new Accepted(r, evidence));
            } else {
                rejected.add(new ReportAck.Rejection(r == null ? null : r.id(), problem));
            }
        }
        Set<String> newAddresses = new LinkedHashSet<>();
        int accepted = valid.isEmpty() ? 0 : store(agent, valid, newAddresses);
        autoApprove.consider(newAddresses);
        return new ReportAck(ProtocolJson.VERSION, accepted, valid.size() - accepted, rejected);
    }

    /** The id of an element that is not a readable report, if it has a textual one. */
    private static String idOf(BatchReader.Element element) {
        try {
            JsonNode id = JSON.readTree(element.text()).path("id");
            return id.isTextual() ? id.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private int store(AgentIdentity agent, List<Accepted> reports, Set<String> newAddresses)
            throws IntakeRefused, SQLException {
        return db.transaction(c -> {
            // one statement for the whole batch; RETURNING names the reports that were new
            try (PreparedStatement s = c.prepareStatement("insert into report (agent_id, site_id, report_id, address, "
                    + "banned_at, evidence) select ?, ?, id, address, banned_at, evidence from unnest(?::text[], "
                    + "?::inet[], ?::timestamptz[], ?::jsonb[]) as batch(id, address, banned_at, evidence) "
                    + "on conflict (agent_id, report_id) do nothing returning host(address)")) {
                int n = reports.size();
                String[] ids = new String[n];
                String[] addresses = new String[n];
                Timestamp[] bannedAt = new Timestamp[n];
                String[] evidence = new String[n];
                for (int i = 0; i < n; i++) {
                    Report r = reports.get(i).report();
                    ids[i] = r.id();
                    addresses[i] = r.address();
                    bannedAt[i] = Timestamp.from(r.bannedAt());
                    evidence[i] = reports.get(i).evidence();
                }
                s.setLong(1, agent.agentId());
                s.setLong(2, agent.siteId());
                s.setArray(3, c.createArrayOf("text", ids));
                s.setArray(4, c.createArrayOf("text", addresses));
                s.setArray(5, c.createArrayOf("timestamptz", bannedAt));
                s.setArray(6, c.createArrayOf("text", evidence));
                int stored = 0;
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        stored++;
                        newAddresses.add(r.getString(1));
                    }
                }
                // The bucket last: taking locks the agent's row until the commit, so its other batches wait only
                // for this commit, not for this insert too (taken first, the lock made them queue behind each
                // other's whole transaction, each holding a pooled connection). Refused, the insert rolls back.
                long retryAfter = rateLimit.take(c, agent.agentId(), reports.size());
                if (retryAfter > 0) {
                    throw new IntakeRefused(429, "agent " + agent.agentId() + " sends more than " + config.rate()
                            + " reports per second (bursts up to " + config.burst() + ")", retryAfter);
                }
                return stored;
            }
        });
    }
}
