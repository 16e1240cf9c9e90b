package org.tollguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

@Command(name = "reload-rates", description = {
        "Read the rate deck (ids.rate-deck) again. New calls are rated with it; calls in progress keep the rate they"
                + " were answered at. A deck with any bad line is refused and the previous one stays in use.",
        "The agent also rereads the file by itself when it changes (ids.rate-deck-check)."},
        footer = {"", "Exit status: 0 if the deck was loaded, 1 if not."})
final class ReloadRatesCommand extends AdminCommand {
    @Override
    int run(AdminClient client) throws CliException {
        JsonNode r = client.post("/v1/rates/reload", java.util.Map.of());
        if (r.path("loaded").asBoolean()) {
            System.out.println("rate deck " + r.path("file").asText() + " loaded: " + r.path("rates").asInt() + " rates");
            return 0;
        }
        System.err.println("tollguard: rate deck not loaded: " + r.path("error").asText());
        if (!r.path("file").isNull()) {
            System.err.println("tollguard: the previous deck (" + r.path("rates").asInt() + " rates) stays in use");
        }
        return 1;
    }
}
