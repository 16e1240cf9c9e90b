package org.tollguard.api;

import java.util.Map;
import org.tollguard.calls.AccountControl;

/**
 * {@code GET /v1/accounts}, {@code GET /v1/accounts/ACCOUNT}, {@code POST /v1/accounts/ACCOUNT/block} and
 * {@code DELETE /v1/accounts/ACCOUNT/block?reason=...}.
 */
public final class AccountRoutes implements Route {
    private final AccountControl accounts;

    public AccountRoutes(AccountControl accounts) {
        this.accounts = accounts;
    }

    /** What {@code tollguard block} sends. */
    /** @param by who asks (the Unix user running the CLI) */
    public record BlockRequest(String reason, String by) {}

    @Override
    public Object handle(ApiRequest r) {
        if (r.rest().isEmpty()) {
            if (!r.method().equals("GET")) {
                throw ApiException.methodNotAllowed(r);
            }
            return accounts.known().stream().map(accounts::view).toList();
        }
        String[] parts = r.rest().split("/", 2);
        String account = parts[0];
        if (parts.length == 1 && r.method().equals("GET")) {
            return accounts.view(account);
        }
        if (parts.length == 2 && parts[1].equals("block")) {
            switch (r.method()) {
                case "POST":
                    BlockRequest req = r.body().length == 0 ? new BlockRequest(null, null) : r.bodyAs(BlockRequest.class);
                    accounts.block(account, req.reason(), ApiRequest.operator(req.by()));
                    return accounts.view(account);
                case "DELETE":
                    int lifted = accounts.unblock(account, ApiRequest.operator(r.query("by", null)),
                            r.query("reason", "unblocked by operator"));
                    return Map.of("account", account, "lifted", lifted);
                default:
                    throw ApiException.methodNotAllowed(r);
            }
        }
        throw new ApiException(404, "no such resource: /v1/accounts/" + r.rest());
    }
}
