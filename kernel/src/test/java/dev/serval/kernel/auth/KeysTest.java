package dev.serval.kernel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {

    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock();

    private Keys keys() throws Exception {
        return new Keys(new KeyFile(dir.resolve("key_file.json")), Duration.ofMinutes(60), clock);
    }

    private JsonNode file() throws Exception {
        return new ObjectMapper().readTree(dir.resolve("key_file.json").toFile());
    }

    @Test
    void writesTorchServesKeyFileReadableByTheOwnerOnly() throws Exception {
        keys();

        JsonNode file = file();
        assertEquals(
                "2026-11-23T11:00:00Z",
                file.get("inference").get("expiration time").asText());
        assertEquals(
                "2026-11-23T11:00:00Z",
                file.get("management").get("expiration time").asText());
        assertFalse(file.get("API").has("expiration time"));
        assertEquals(22, file.get("inference").get("key").asText().length());
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key_file.json"))));
    }

    @Test
    void eachKeyOpensItsOwnKindOnly() throws Exception {
        Keys keys = keys();
        String inference = file().get("inference").get("key").asText();

        assertTrue(keys.accepts(Keys.Kind.INFERENCE, inference));
        assertFalse(keys.accepts(Keys.Kind.MANAGEMENT, inference));
        assertFalse(keys.accepts(Keys.Kind.API, inference));
        assertFalse(keys.accepts(Keys.Kind.INFERENCE, inference.substring(1)));
        assertFalse(keys.accepts(Keys.Kind.INFERENCE, ""));
    }

    @Test
    void keysExpireButTheApiKeyDoesNot() throws Exception {
        Keys keys = keys();
        JsonNode file = file();

        clock.now = START.plus(Duration.ofMinutes(60)).minusMillis(1);
        assertTrue(keys.accepts(
                Keys.Kind.MANAGEMENT, file.get("management").get("key").asText()));
        clock.now = START.plus(Duration.ofMinutes(60));
        assertFalse(keys.accepts(
                Keys.Kind.MANAGEMENT, file.get("management").get("key").asText()));
        assertTrue(keys.accepts(Keys.Kind.API, file.get("API").get("key").asText()));
    }

    @Test
    void renewingReplacesOneKeyFromNowOn() throws Exception {
        Keys keys = keys();
        JsonNode before = file();
        clock.now = START.plus(Duration.ofMinutes(90));

        Map<String, Object> renewed = keys.renew(Keys.Kind.INFERENCE);

        JsonNode after = file();
        String newKey = after.get("inference").get("key").asText();
        assertEquals(newKey, ((Map<?, ?>) renewed.get("inference")).get("key"));
        assertNotEquals(before.get("inference").get("key").asText(), newKey);
        assertEquals(
                "2026-11-23T12:30:00Z",
                after.get("inference").get("expiration time").asText());
        assertTrue(keys.accepts(Keys.Kind.INFERENCE, newKey));
        assertFalse(keys.accepts(
                Keys.Kind.INFERENCE, before.get("inference").get("key").asText()));
        assertEquals(before.get("management"), after.get("management"));
        assertEquals(before.get("API"), after.get("API"));
    }

    @Test
    void discardDeletesTheFile() throws Exception {
        keys().discard();

        assertFalse(Files.exists(dir.resolve("key_file.json")));
    }

    private static final class MovableClock extends Clock {
        Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
