package org.tollguard.hub.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.tollguard.hub.enroll.AgentIdentity;
import org.tollguard.hub.enroll.Enrollment;
import org.tollguard.hub.enroll.EnrollmentRefused;
import org.tollguard.hub.intake.IntakeRefused;
import org.tollguard.hub.intake.ReportIntake;
import org.tollguard.protocol.EnrollRequest;
import org.tollguard.protocol.Heartbeat;
import org.tollguard.protocol.ProtocolJson;

/** What agents send: enrollment, report batches, heartbeats. */
final class AgentRoutes {
    private static final int MAX_SMALL_BODY = 16 * 1024;

    private final Enrollment enrollment;
    private final AgentAuth auth;
    private final ReportIntake intake;
    private final int maxReportBody;
    private final String list;
    private final List<String> publicKeys;
    private final Clock clock;

    AgentRoutes(Enrollment enrollment, ReportIntake intake, int maxReportBody, String list, List<String> publicKeys,
                Clock clock) {
        this.enrollment = enrollment;
        this.auth = new AgentAuth(enrollment);
        this.intake = intake;
        this.maxReportBody = maxReportBody;
        this.list = list;
        this.publicKeys = publicKeys;
        this.clock = clock;
    }

    void enroll(Context ctx) throws SQLException {
        EnrollRequest request = parse(Bodies.read(ctx, MAX_SMALL_BODY), EnrollRequest.class);
        if (request.protocol() != ProtocolJson.VERSION) {
            throw new HttpProblem(400, "protocol " + request.protocol() + " is not supported");
        }
        try {
            ctx.json(enrollment.exchange(request, clock.instant(), list, publicKeys));
        } catch (EnrollmentRefused e) {
            throw new HttpProblem(403, e.getMessage());
        }
    }

    void reports(Context ctx) throws SQLException {
        AgentIdentity agent = auth.require(ctx);
        byte[] body = Bodies.read(ctx, maxReportBody);
        try {
            ctx.json(intake.accept(agent, body));
        } catch (IntakeRefused e) {
            throw new HttpProblem(e.status(), e.getMessage(), e.retryAfterSeconds());
        }
    }

    void heartbeat(Context ctx) throws SQLException {
        AgentIdentity agent = auth.require(ctx);
        Heartbeat beat = parse(Bodies.read(ctx, MAX_SMALL_BODY), Heartbeat.class);
        enrollment.seen(agent, clock.instant(), beat.agentVersion());
        ctx.status(204);
    }

    private static <T> T parse(byte[] body, Class<T> type) {
        try {
            T value = ProtocolJson.mapper().readValue(body, type);
            if (value == null) {
                throw new HttpProblem(400, "the body is empty");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new HttpProblem(400, "the body is not a " + type.getSimpleName() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new HttpProblem(400, "the body cannot be read: " + e.getMessage());
        }
    }
}
