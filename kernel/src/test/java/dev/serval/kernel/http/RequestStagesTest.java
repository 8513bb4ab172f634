package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RequestStagesTest {

    @Test
    void beforeHandlersRoutesErrorsExceptionsAndAfterHandlersStillRunInTheirOrder() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            RequestStages.configure(config);
        });
        app.before(ctx -> ran.add("before " + ctx.path()));
        app.get("/ok/{name}", ctx -> ctx.result("hello " + ctx.pathParam("name")));
        app.get("/fails", ctx -> {
            throw new IllegalArgumentException("no");
        });
        app.exception(
                IllegalArgumentException.class, (e, ctx) -> ctx.status(418).result("caught"));
        app.error(404, ctx -> ctx.result("none here"));
        app.after(ctx -> ran.add("after " + ctx.path() + " " + ctx.statusCode()));
        RequestStages.check(app);
        app.start("127.0.0.1", 0);
        try {
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(
                    List.of(200, 418, 404),
                    List.of(
                            get(client, app, "/ok/x", "hello x"),
                            get(client, app, "/fails", "caught"),
                            get(client, app, "/missing", "none here")));
            assertEquals(
                    List.of(
                            "before /ok/x",
                            "after /ok/x 200",
                            "before /fails",
                            "after /fails 418",
                            "before /missing",
                            "after /missing 404"),
                    ran);
        } finally {
            app.stop();
        }
    }

    @Test
    void aListenerWithAHandlerOfALeftOutStageIsRefused() {
        Javalin before = Javalin.create(RequestStages::configure);
        before.beforeMatched("/x", ctx -> {});
        Javalin after = Javalin.create(RequestStages::configure);
        after.afterMatched("/y", ctx -> {});

        assertEquals(
                "BEFORE_MATCHED /x: the listener's lifecycle has no stage for it (RequestStages)",
                assertThrows(IllegalStateException.class, () -> RequestStages.check(before))
                        .getMessage());
        assertEquals(
                "AFTER_MATCHED /y: the listener's lifecycle has no stage for it (RequestStages)",
                assertThrows(IllegalStateException.class, () -> RequestStages.check(after))
                        .getMessage());
    }

    private static int get(HttpClient client, Javalin app, String path, String body) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(body, response.body(), path);
        return response.statusCode();
    }
}
