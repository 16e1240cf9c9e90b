package org.tollguard.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DialStringTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            020-674 70 00        | false | 0206747000
            (020) 674.70.00      | false | 0206747000
            020/6747000          | false | 0206747000
            +31 (0)20 674 7000   | true  | 31206747000
            0031 (0)20 674 7000  | false | 0031206747000
            (0)20 674 7000       | false | 0206747000
            '  +44 20 7946 0000 '| true  | 442079460000
            112                  | false | 112
            123456789012345678901234 | false | 123456789012345678901234
            """)
    void keepsTheDigits(String text, boolean plus, String digits) {
        assertEquals(new DialString(plus, digits), DialString.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " - ", "+", "abc", "*#21#", "0612345678#", "06+12345678", "++31", "1234567890123456789012345",
            "٠٦١٢٣٤٥٦٧٨", "06,12345678", "06;12345678"})
    void refusesWhatIsNotAPhoneNumber(String text) {
        assertNull(DialString.parse(text));
    }
}
