package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle in deploy/ whose activator never returns holds back neither the server's start, nor
 * any model deployed or undeployed beside it, nor the server's stop for long.
 */
class HungBundleIT {

    private static final long DEPLOY_WITHIN_MS = 2_000;
    private static final long STOP_WITHIN_MS = 20_000;

    @TempDir
    Path root;

    @Test
    void aBundleThatNeverStartsFreezesNoModelDeployAndNoShutdown() throws Exception {
        // In deploy/ before the server starts: FileInstall's first scan finds it.
        Path deploy = Files.createDirectories(root.resolve("deploy"));
        hungBundle(deploy.resolve("hung.jar"));
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        byte[] digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));

        ServerProcess server = ServerProcess.start(root, store);
        try {
            ServerProcess.waitFor(() -> server.log().contains(HungActivator.STARTING));

            Path staging = Files.createDirectories(root.resolve("staging"));
            Files.move(
                    Archives.digits(staging.resolve("hot.mar"), "hot", "1.0", "convnet_digits.pt", "image_classifier"),
                    deploy.resolve("hot.mar"));
            long servedAfter = ServerProcess.waitFor(
                    () -> server.predict("/predictions/hot", digit, "POST").statusCode() == 200);
            assertTrue(servedAfter <= DEPLOY_WITHIN_MS, "served after " + servedAfter + " ms");

            Files.delete(deploy.resolve("hot.mar"));
            long goneAfter = ServerProcess.waitFor(
                    () -> server.predict("/predictions/hot", digit, "POST").statusCode() == 404);
            assertTrue(goneAfter <= DEPLOY_WITHIN_MS, "gone after " + goneAfter + " ms");
            assertEquals(
                    200, server.predict("/predictions/digits", digit, "POST").statusCode());
        } finally {
            long start = System.nanoTime();
            server.close();
            long stoppedAfter = (System.nanoTime() - start) / 1_000_000;
            assertTrue(stoppedAfter <= STOP_WITHIN_MS, "stopped after " + stoppedAfter + " ms");
        }
        assertTrue(server.log().contains("still starting or stopping: [test.hung"), server.log());
    }

    /** Writes a bundle jar of {@link HungActivator}, as a handler bundle that hangs in its start. */
    private static void hungBundle(Path jar) throws IOException {
        TestBundles.write(jar, "test.hung", "1.0.0", HungActivator.class, "org.osgi.framework", Map.of());
    }
}
