package org.tollguard.hub.cli;

import java.time.Clock;
import org.tollguard.hub.config.HubConfig;
import org.tollguard.hub.db.Database;
import org.tollguard.hub.enroll.Enrollment;
import org.tollguard.hub.enroll.EnrollmentRefused;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "enroll", description = "Create a one-time enrollment token for an agent of a site; the agent "
        + "exchanges it for its own credential (tollguard enroll URL TOKEN).")
final class EnrollCommand extends HubCommand {
    @Option(names = "--site", required = true, paramLabel = "NAME", description = "The site (PBX) the agent guards.")
    String site;

    @Option(names = "--operator", paramLabel = "NAME", description = "Who runs the site (default: the site's name).")
    String operator;

    @Override
    int run(HubConfig config) throws Exception {
        try (Database db = open(config)) {
            String token = new Enrollment(db, config.intake().burst()).createToken(site,
                    operator == null ? site : operator, "operator:" + whoAmI(),
                    Clock.systemUTC().instant().plus(config.enrollment().tokenValidity()));
            System.out.println(token);
            System.err.println("tollguard-hub: one-time token for site " + site + ", valid for "
                    + org.tollguard.yamlconfig.Durations.format(config.enrollment().tokenValidity()));
            return 0;
        } catch (EnrollmentRefused e) {
            throw new CommandFailed(e.getMessage());
        }
    }
}
