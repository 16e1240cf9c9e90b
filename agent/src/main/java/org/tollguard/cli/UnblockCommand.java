package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "unblock", description = "Lift an account's block; who and why are recorded.")
final class UnblockCommand extends AdminCommand {
    @Parameters(paramLabel = "ACCOUNT")
    String account;

    @Option(names = "--reason", required = true, description = "Why, for the record.")
    String reason;

    @Override
    int run(AdminClient client) throws CliException {
        JsonNode result = client.delete("/v1/accounts/" + URLEncoder.encode(account, StandardCharsets.UTF_8)
                + "/block?reason=" + URLEncoder.encode(reason, StandardCharsets.UTF_8)
                + "&by=" + URLEncoder.encode(Operator.current(), StandardCharsets.UTF_8));
        int lifted = result.path("lifted").asInt();
        System.out.println(lifted == 0 ? account + " was not blocked" : "unblocked " + account);
        return 0;
    }
}
