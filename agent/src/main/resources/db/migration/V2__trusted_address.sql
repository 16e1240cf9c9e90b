-- Addresses that authenticated successfully, for the trust rule: their failures alert instead of banning.
CREATE TABLE trusted_address (
    address      TEXT    PRIMARY KEY,
    account      TEXT    NOT NULL,
    last_success INTEGER NOT NULL            -- epoch milliseconds
);
