package org.tollguard.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CategoryTest {

    @Test
    void idsAreStable() {
        assertEquals(List.of("national-amusement", "national-premium", "national-mobile", "national-geographic",
                        "personal-assistant", "national-088", "national-freephone", "international", "emergency",
                        "unknown", "high-risk"),
                Arrays.stream(Category.values()).map(Category::id).toList());
    }

    @Test
    void fromIdReadsEveryId() {
        for (Category c : Category.values()) {
            assertEquals(c, Category.fromId(c.id()));
        }
        assertEquals(Category.NATIONAL_088, Category.fromId(" National-088 "));
    }

    @Test
    void fromIdNamesTheKnownIds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Category.fromId("premium"));
        assertTrue(e.getMessage().startsWith("'premium' is not a number category (one of: national-amusement,"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Category.fromId(null));
        assertThrows(IllegalArgumentException.class, () -> Category.fromId("NATIONAL_PREMIUM"));
    }

    @Test
    void displayNamesAreDistinct() {
        assertEquals(Category.values().length,
                Arrays.stream(Category.values()).map(Category::displayName).distinct().count());
        assertEquals("National amusement lines", Category.NATIONAL_AMUSEMENT.displayName());
    }

    @Test
    void jsonUsesTheIds() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals("[\"high-risk\",\"national-088\"]",
                json.writeValueAsString(List.of(Category.HIGH_RISK, Category.NATIONAL_088)));
        assertEquals(Category.PERSONAL_ASSISTANT, json.readValue("\"personal-assistant\"", Category.class));
    }
}
