package dev.serval.kernel.log;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The pattern's {@code %time}: an event's time as {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSS}} writes it,
 * in the JVM's zone, for less. Logback's {@code %d} runs a {@code DateTimeFormatter} for every
 * event whose millisecond differs from the one before, which under load is every event: 1.3 KB of
 * garbage each, and the access log writes one a request. This formats the time to the second
 * once a second and appends the milliseconds to it (a zone's offset changes only on a second).
 */
public final class EventTime extends ClassicConverter {

    private static final DateTimeFormatter TO_THE_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.");
    private static final String[] MILLIS = new String[1000];

    static {
        for (int i = 0; i < MILLIS.length; i++) {
            MILLIS[i] = String.valueOf(1000 + i).substring(1);
        }
    }

    private final ZoneId zone;
    /** The second last formatted; events of several threads may race to replace it, to the same text. */
    private volatile Second last = new Second(Long.MIN_VALUE, "");

    /** In the JVM's zone, as {@code %d} without a zone. */
    public EventTime() {
        this(ZoneId.systemDefault());
    }

    EventTime(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String convert(ILoggingEvent event) {
        return format(event.getTimeStamp());
    }

    /** @return {@code millis} since the epoch as {@code yyyy-MM-dd'T'HH:mm:ss.SSS} */
    String format(long millis) {
        long epochSecond = Math.floorDiv(millis, 1000L);
        Second second = last;
        if (second.epochSecond() != epochSecond) {
            second = new Second(
                    epochSecond,
                    TO_THE_SECOND.format(Instant.ofEpochSecond(epochSecond).atZone(zone)));
            last = second;
        }
        return second.text() + MILLIS[(int) Math.floorMod(millis, 1000L)];
    }

    private record Second(long epochSecond, String text) {}
}
