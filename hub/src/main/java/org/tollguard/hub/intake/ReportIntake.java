package org.tollguard.hub.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
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
        JsonNode reports = parse(body);
        List<ReportAck.Rejection> rejected = new ArrayList<>();
        List<Accepted> valid = new ArrayList<>();
        for (JsonNode node : reports) {
            String id = node.path("id").isTextual() ? node.path("id").asText() : null;
            Report r;
            try {
                r = JSON.treeToValue(node, Report.class);
            } catch (JsonProcessingException e) {
                rejected.add(new ReportAck.Rejection(id, "not a report: " + e.getOriginalMessage()));
                continue;
            }
            String evidence = node.toString();
            String problem = ReportCheck.problem(r);
            if (problem == null && evidence.contains("\\u0000")) {
                problem = "contains a NUL character";
            }
            if (problem == null) {
                valid.add(new Accepted(r, evidence));
            } else {
                rejected.add(new ReportAck.Rejection(id, problem));
            }
        }
        Set<String> newAddresses = new LinkedHashSet<>();
        int accepted = valid.isEmpty() ? 0 : store(agent, valid, newAddresses);
        autoApprove.consider(newAddresses);
        return new ReportAck(ProtocolJson.VERSION, accepted, valid.size() - accepted, rejected);
    }

    /** The batch's {@code reports}, or the reason the whole request is refused. */
    private JsonNode parse(byte[] body) throws IntakeRefused {
        JsonNode batch;
        try {
            batch = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IntakeRefused(400, "the body is not a report batch: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new IntakeRefused(400, "the body cannot be read: " + e.getMessage());
        }
        if (batch == null || batch.isMissingNode() || !batch.isObject()) {
            throw new IntakeRefused(400, "the body is not a report batch: expected a JSON object");
        }
        if (batch.path("protocol").asInt(-1) != ProtocolJson.VERSION) {
            throw new IntakeRefused(400, "protocol " + batch.path("protocol") + " is not supported (this hub speaks "
                    + ProtocolJson.VERSION + ")");
        }
        JsonNode reports = batch.path("reports");
        if (!reports.isArray()) {
            throw new IntakeRefused(400, "the batch has no 'reports' list");
        }
        if (reports.size() > config.maxReports()) {
            throw new IntakeRefused(400, "the batch has " + reports.size() + " reports; at most "
                    + config.maxReports() + " per request");
        }
        return reports;
    }

    private int store(AgentIdentity agent, List<Accepted> reports, Set<String> newAddresses)
            throws IntakeRefused, SQLException {
        return db.transaction(c -> {
            long retryAfter = rateLimit.take(c, agent.agentId(), reports.size());
            if (retryAfter > 0) {
                throw new IntakeRefused(429, "agent " + agent.agentId() + " sends more than " + config.rate()
                        + " reports per second (bursts up to " + config.burst() + ")", retryAfter);
            }
            try (PreparedStatement s = c.prepareStatement("insert into report (agent_id, site_id, report_id, address, "
                    + "banned_at, evidence) values (?, ?, ?, ?::inet, ?, ?::jsonb) on conflict (agent_id, report_id) "
                    + "do nothing")) {
                for (Accepted accepted : reports) {
                    Report r = accepted.report();
                    s.setLong(1, agent.agentId());
                    s.setLong(2, agent.siteId());
                    s.setString(3, r.id());
                    s.setString(4, r.address());
                    s.setTimestamp(5, Timestamp.from(r.bannedAt()));
                    s.setString(6, accepted.evidence());
                    s.addBatch();
                }
                int[] counts = s.executeBatch();
                int stored = 0;
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        stored++;
                        newAddresses.add(reports.get(i).report().address());
                    }
                }
                return stored;
            }
        });
    }
}
