package org.tollguard.hub.http;

import io.javalin.http.Context;
import java.sql.SQLException;
import org.tollguard.hub.enroll.AgentIdentity;
import org.tollguard.hub.enroll.Enrollment;

/** {@code Authorization: Bearer CREDENTIAL}: which agent is asking; 401 if none or not a known one. */
final class AgentAuth {
    private final Enrollment enrollment;

    AgentAuth(Enrollment enrollment) {
        this.enrollment = enrollment;
    }

    AgentIdentity require(Context ctx) throws SQLException {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new HttpProblem(401, "no agent credential (Authorization: Bearer ...); enroll the agent first");
        }
        return enrollment.authenticate(header.substring(7).strip())
                .orElseThrow(() -> new HttpProblem(401, "unknown or revoked agent credential"));
    }
}
