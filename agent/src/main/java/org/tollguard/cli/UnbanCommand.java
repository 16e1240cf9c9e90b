package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "unban", description = "Lift the bans of an address at once.")
final class UnbanCommand extends AdminCommand {
    @Parameters(paramLabel = "ADDRESS")
    String address;

    @Option(names = "--reason", description = "Why, for the record.", defaultValue = "unbanned by operator")
    String reason;

    @Override
    int run(AdminClient client) throws CliException {
        JsonNode result = client.delete("/v1/bans/" + URLEncoder.encode(address, StandardCharsets.UTF_8)
                + "?reason=" + URLEncoder.encode(reason, StandardCharsets.UTF_8)
                + "&by=" + URLEncoder.encode(Operator.current(), StandardCharsets.UTF_8));
        int lifted = result.path("lifted").asInt();
        System.out.println(lifted == 0 ? address + " had no active ban (kernel entry removed if any)"
                : "unbanned " + address + " (" + lifted + " ban" + (lifted == 1 ? "" : "s") + " lifted)");
        return 0;
    }
}
