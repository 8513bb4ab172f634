package dev.serval.kernel.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogOutputTest {

    @Test
    void aJsonEventIsOneLineWithItsStackTraceInside() throws Exception {
        LoggerContext context = new LoggerContext();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        LoggingEvent event = new LoggingEvent(
                LogOutputTest.class.getName(),
                context.getLogger("dev.serval.kernel.Serval"),
                Level.ERROR,
                "Stopping {} failed",
                new IllegalStateException("line one\nline two"),
                new Object[] {"x"});

        String line = new String(LogOutput.json(appender).encode(event), StandardCharsets.UTF_8);

        assertTrue(line.endsWith("\n"), line);
        assertEquals(1, line.lines().count(), line);
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("ERROR", json.get("level").asText());
        assertEquals("dev.serval.kernel.Serval", json.get("loggerName").asText());
        assertEquals("Stopping x failed", json.get("formattedMessage").asText());
        assertEquals(
                "java.lang.IllegalStateException",
                json.get("throwable").get("className").asText());
        assertEquals("line one\nline two", json.get("throwable").get("message").asText());
        assertTrue(json.get("throwable").get("stepArray").size() > 0, line);
    }
}
