package dev.serval.kernel.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.serval.kernel.config.LogFormat;
import org.slf4j.LoggerFactory;

/**
 * The log's format and level, set once the settings are read: {@code logback.xml} starts the log
 * in the plain format, on the process's standard output.
 */
public final class LogOutput {

    /** The appender {@code logback.xml} names. */
    private static final String APPENDER = "OUT";

    private LogOutput() {}

    /**
     * @param format {@code log_format}: the plain lines stay as {@code logback.xml} has them;
     *     JSON replaces their encoder with Logback's, one object a line
     */
    public static void use(LogFormat format) {
        if (format != LogFormat.JSON
                || !(root().getAppender(APPENDER) instanceof OutputStreamAppender<ILoggingEvent> out)) {
            return;
        }
        out.setEncoder(json(out));
    }

    /** Only warnings and errors: for a client command, whose user wants its answer, not its log. */
    public static void quiet() {
        root().setLevel(Level.WARN);
    }

    /**
     * @return Logback's JSON encoder with what a log pipeline reads: the time (epoch milliseconds),
     *     level, thread, logger, the message with its arguments in place and the
     *     throwable with its stack, inside the event's line
     */
    static Encoder<ILoggingEvent> json(OutputStreamAppender<ILoggingEvent> appender) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(appender.getContext());
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMDC(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        return json;
    }

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
