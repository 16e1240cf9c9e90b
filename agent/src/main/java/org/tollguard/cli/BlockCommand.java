package org.tollguard.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.tollguard.api.AccountRoutes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "block", description = "Block an account: new calls refused, live calls hung up (never emergency calls).")
final class BlockCommand extends AdminCommand {
    @Parameters(paramLabel = "ACCOUNT")
    String account;

    @Option(names = "--reason", description = "Why, for the record.")
    String reason;

    @Override
    int run(AdminClient client) throws CliException {
        client.post("/v1/accounts/" + URLEncoder.encode(account, StandardCharsets.UTF_8) + "/block",
                new AccountRoutes.BlockRequest(reason, Operator.current()));
        System.out.println("blocked " + account);
        return 0;
    }
}
