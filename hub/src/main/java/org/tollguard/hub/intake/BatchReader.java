package org.tollguard.hub.intake;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.tollguard.protocol.ProtocolJson;

/**
 * Splits a report batch into its reports without building a tree: one streaming pass checks the batch's shape and
 * notes where each element of {@code reports} starts and ends in the body, so each report is read once, straight
 * from the bytes the agent sent, and those bytes are kept as its evidence.
 */
final class BatchReader {
    /** One element of {@code reports}: {@code length} bytes of the body from {@code offset}. */
    record Element(byte[] body, int offset, int length) {
        String text() {
            return new String(body, offset, length, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private BatchReader() {}

    /** The batch's reports, or the reason the whole request is refused (nothing of it is stored then). */
    static List<Element> read(byte[] body, int maxReports) throws IntakeRefused {
        List<Element> reports = null;
        int protocol = -1;
        String protocolText = "missing";
        try (JsonParser p = ProtocolJson.mapper().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IntakeRefused(400, "the body is not a report batch: expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("protocol")) {
                    protocolText = value == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : p.getText();
                    protocol = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                } else if (field.equals("reports") && value == JsonToken.START_ARRAY) {
                    reports = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        int start = offset(p.currentTokenLocation());
                        p.skipChildren(); // an object or array: to its end
                        p.finishToken(); // a scalar: Jackson reads a string's text only when asked
                        int end = offset(p.currentLocation());
                        if (reports.size() == maxReports) {
                            throw new IntakeRefused(400, "the batch has more than " + maxReports + " reports; at most "
                                    + maxReports + " per request");
                        }
                        reports.add(new Element(body, start, end - start));
                    }
                } else {
                    if (field.equals("reports")) {
                        reports = null;
                    }
                    p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new IntakeRefused(400, "the body is not a report batch: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new IntakeRefused(400, "the body cannot be read: " + e.getMessage());
        }
        if (protocol != ProtocolJson.VERSION) {
            throw new IntakeRefused(400, "protocol " + protocolText + " is not supported (this hub speaks "
                    + ProtocolJson.VERSION + ")");
        }
        if (reports == null) {
            throw new IntakeRefused(400, "the batch has no 'reports' list");
        }
        return reports;
    }

    private static int offset(JsonLocation location) {
        return (int) location.getByteOffset();
    }
}
