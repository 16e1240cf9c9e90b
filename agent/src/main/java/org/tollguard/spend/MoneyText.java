package org.tollguard.spend;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Reads an amount of money exactly as written ({@code 30}, {@code 0.8333}, {@code "12.50"}): from the text, never
 * through a floating-point number, and never negative.
 */
final class MoneyText extends JsonDeserializer<BigDecimal> {
    @Override
    public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_STRING) {
            return (BigDecimal) ctxt.handleUnexpectedToken(BigDecimal.class, p);
        }
        String text = p.getText().strip();
        try {
            return Money.parse(text);
        } catch (IllegalArgumentException e) {
            throw InvalidFormatException.from(p, e.getMessage(), text, BigDecimal.class).withCause(e);
        }
    }
}
