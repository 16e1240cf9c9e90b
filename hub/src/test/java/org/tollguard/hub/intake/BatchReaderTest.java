package org.tollguard.hub.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchReaderTest {
    private static List<String> read(String body, int max) throws IntakeRefused {
        return BatchReader.read(body.getBytes(StandardCharsets.UTF_8), max).stream().map(BatchReader.Element::text)
                .toList();
    }

    @Test
    void eachReportIsTheExactTextTheAgentSentWhereverTheFieldsAre() throws Exception {
        String first = "{\"id\": \"é1\", \"counts\": {\"a\": [1, {\"b\": 2}]}}";
        String second = "{\"id\":\"r2\"}";
        assertEquals(List.of(first, second, "\"not an object\""),
                read("{\"extra\": {\"reports\": 1}, \"reports\": [" + first + ",\n " + second
                        + ", \"not an object\"], \"protocol\": 1}", 50));
        assertEquals(List.of(), read("{\"protocol\": 1, \"reports\": []}", 50));
    }

    @Test
    void aBatchThatIsNotOneIsRefusedNamingWhy() {
        assertTrue(refusal("[1]").contains("expected a JSON object"));
        assertTrue(refusal("{\"protocol\": 1, \"reports\": [{\"id\": \"y\",").contains("not a report batch"));
        assertTrue(refusal("{\"protocol\": 2, \"reports\": []}").contains("protocol 2 is not supported"));
        assertTrue(refusal("{\"protocol\": \"1\", \"reports\": []}").contains("protocol \"1\" is not supported"));
        assertTrue(refusal("{\"reports\": []}").contains("protocol missing"));
        assertTrue(refusal("{\"protocol\": 1, \"reports\": {}}").contains("no 'reports' list"));
        assertTrue(refusal("{\"protocol\": 1, \"reports\": [{}, {}, {}]}").contains("more than 2 reports"));
    }

    private static String refusal(String body) {
        IntakeRefused e = assertThrows(IntakeRefused.class, () -> read(body, 2));
        assertEquals(400, e.status());
        return e.getMessage();
    }
}
