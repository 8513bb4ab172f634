package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.auth.KeyRule;
import dev.serval.kernel.auth.Keys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key each route of a listener of both APIs takes, told by its first path segment. */
class BearerAuthTest {

    @TempDir
    Path dir;

    @Test
    void eachFirstSegmentBelongsToOneApiAndOthersTakeEitherKey() throws Exception {
        Keys keys = Keys.issue(dir.resolve("key_file.json"), Duration.ofMinutes(60));
        KeyRule inference = new KeyRule(keys, Keys.Kind.INFERENCE, Set.of("/ping"));
        KeyRule management = new KeyRule(keys, Keys.Kind.MANAGEMENT, Set.of("/token"));
        BearerAuth auth = new BearerAuth(List.of(inference, management));
        auth.route("/ping", inference);
        auth.route("/v1/models/{model}:predict", inference);
        auth.route("/models", management);
        auth.route("/models/{model}", management);

        assertTrue(auth.shared());
        assertEquals(Optional.of(Keys.Kind.INFERENCE), auth.kind("/v1/models/digits:predict"));
        assertEquals(Optional.of(Keys.Kind.MANAGEMENT), auth.kind("/models/digits"));
        assertEquals(Optional.empty(), auth.kind("/"));
        assertTrue(auth.isOpen("/ping"));
        assertFalse(auth.isOpen("/models"));
        IllegalStateException clash =
                assertThrows(IllegalStateException.class, () -> auth.route("/models/{model}/explain", inference));
        assertTrue(clash.getMessage().contains("under /models"), clash.getMessage());
    }
}
