package org.tollguard.yamlconfig;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/**
 * Reads a scalar as the text the operator wrote. YAML reads {@code 0}, {@code 00} and {@code +88213} as
 * numbers; digit strings such as prefixes must keep their leading zeros and plus sign, so they are taken as
 * written rather than as the number YAML made of them.
 */
public final class ScalarText extends JsonDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
            return p.getText();
        }
        return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
}
