package dev.serval.kernel.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class EventTimeTest {

    private static final DateTimeFormatter LOGBACK = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    /** Around a second's turn, a day's and a daylight-saving change (Berlin, 2026-10-25 03:00 back to 02:00). */
    @Test
    void writesWhatLogbacksDateWrites() {
        for (String zone : new String[] {"UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns"}) {
            EventTime time = new EventTime(ZoneId.of(zone));
            for (long start : new long[] {
                Instant.parse("2026-12-03T08:59:59.990Z").toEpochMilli(),
                Instant.parse("2026-12-31T23:59:59.995Z").toEpochMilli(),
                Instant.parse("2026-10-25T00:59:59.998Z").toEpochMilli(),
                Instant.parse("1969-12-31T23:59:59.998Z").toEpochMilli()
            }) {
                for (long millis = start; millis < start + 25; millis++) {
                    String expected =
                            LOGBACK.format(Instant.ofEpochMilli(millis).atZone(ZoneId.of(zone)));
                    assertEquals(expected, time.format(millis), zone + " " + millis);
                }
            }
            // Back in time, as a clock set back moves it.
            long earlier = Instant.parse("2026-01-01T00:00:00.007Z").toEpochMilli();
            assertEquals(LOGBACK.format(Instant.ofEpochMilli(earlier).atZone(ZoneId.of(zone))), time.format(earlier));
        }
    }
}
