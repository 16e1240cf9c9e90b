package org.tollguard.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SyncProgressBarTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aKnownLengthShowsABarAndAPercentage() throws Exception {
        String line = SyncCommand.progress("hub", JSON.readTree(
                "{\"phase\":\"downloading\",\"bytes\":5000000,\"totalBytes\":10000000,\"entries\":180000}"));
        assertTrue(line.startsWith("hub "), line);
        assertTrue(line.contains("[==============>               ]  50%"), line);
        assertTrue(line.contains("5.0 MB") && line.contains("180,000 entries") && line.endsWith("downloading"), line);
    }

    @Test
    void anUnknownLengthShowsAMovingMarker() throws Exception {
        String line = SyncCommand.progress("apiban", JSON.readTree(
                "{\"phase\":\"applying\",\"bytes\":0,\"totalBytes\":-1,\"entries\":42}"));
        assertTrue(line.contains("<=>") && line.endsWith("applying"), line);
        assertTrue(line.contains("42 entries"), line);
    }
}
