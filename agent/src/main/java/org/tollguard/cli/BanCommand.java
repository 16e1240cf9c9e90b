package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.tollguard.api.BanRoutes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ban", description = "Ban an address by hand (recorded with your Unix user name and the reason).")
final class BanCommand extends AdminCommand {
    @Parameters(paramLabel = "ADDRESS", description = "IPv4 or IPv6 address.")
    String address;

    @Option(names = "--for", paramLabel = "DURATION", description = "How long, e.g. 2h or 7d (default: permanent).")
    String duration;

    @Option(names = "--reason", description = "Why, for the record.")
    String reason;

    @Override
    int run(AdminClient client) throws CliException {
        JsonNode ban = client.post("/v1/bans", new BanRoutes.BanRequest(address, duration, reason, Operator.current()));
        String what = ban.path("address").asText()
                + (ban.path("expires").isNull() ? " permanently" : " until " + ban.path("expires").asText());
        if (ban.path("enforcement").asText().equals("failed")) {
            System.err.println("tollguard: ban of " + what + " recorded but NOT in the firewall: "
                    + ban.path("error").asText() + " (the agent retries it; see tollguard bans)");
            return 1;
        }
        System.out.println("banned " + what);
        return 0;
    }
}
