package io.github.adaloss.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void numbersAreRoundedForReading() {
        assertEquals("1e-3", Formats.number(1e-3));
        assertEquals("1e-4", Formats.number(1e-4));
        assertEquals("1.2e-3", Formats.number(0.00123));
        assertEquals("0.987", Formats.number(0.98667));
        assertEquals("0.01", Formats.number(0.01));
        assertEquals("300", Formats.number(300));
        assertEquals("1000", Formats.number(1e3));
        assertEquals("1234", Formats.number(1234.4));
        assertEquals("1.2e4", Formats.number(12345));
        assertEquals("1e5", Formats.number(99999.9));
        assertEquals("-2.5e-7", Formats.number(-2.5e-7));
        assertEquals("0", Formats.number(0));
        assertEquals("-", Formats.number(Double.NaN));
        assertEquals("inf", Formats.number(Double.POSITIVE_INFINITY));
    }
}
