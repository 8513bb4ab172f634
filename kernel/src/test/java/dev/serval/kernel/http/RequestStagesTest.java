package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.javalin.Javalin;
import io.javalin.security.RouteRole;
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
        RequestStages stages = new RequestStages();
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            stages.configure(config);
        });
        app.before(ctx -> ran.add("before " + ctx.path()));
        app.before("/ok/*", ctx -> ran.add("before ok"));
        app.before("/nowhere", ctx -> ran.add("before nowhere"));
        app.get("/ok/{name}", ctx -> ctx.result("hello " + ctx.pathParam("name")));
        app.get("/ok/{name}/{other}", ctx -> ctx.result("two"));
        app.post("/ok", ctx -> ctx.result("posted"));
        app.get("/fails", ctx -> {
            throw new IllegalArgumentException("no");
        });
        app.exception(
                IllegalArgumentException.class, (e, ctx) -> ctx.status(418).result("caught"));
        app.error(404, ctx -> ctx.result("none here"));
        app.after(ctx -> ran.add("after " + ctx.path() + " " + ctx.statusCode()));
        stages.seal(app);
        app.start("127.0.0.1", 0);
        try {
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(
                    List.of(200, 200, 418, 404),
                    List.of(
                            get(client, app, "/ok/x", "hello x"),
                            get(client, app, "/ok/x/y", "two"),
                            get(client, app, "/fails", "caught"),
                            get(client, app, "/missing", "none here")));
            // Javalin's own stage for what no route takes: a HEAD answered by the GET route, a 405.
            assertEquals(200, send(client, app, "HEAD", "/ok/x"));
            assertEquals(405, send(client, app, "PUT", "/ok"));
            assertEquals(
                    List.of(
                            "before /ok/x",
                            "before ok",
                            "after /ok/x 200",
                            "before /ok/x/y",
                            "before ok",
                            "after /ok/x/y 200",
                            "before /fails",
                            "after /fails 418",
                            "before /missing",
                            "after /missing 404",
                            "before /ok/x",
                            "before ok",
                            "after /ok/x 200",
                            "before /ok",
                            "after /ok 405"),
                    ran);
        } finally {
            app.stop();
        }
    }

    @Test
    void aListenerWithAHandlerOfALeftOutStageOrARouteWithRolesIsRefused() {
        RequestStages stages = new RequestStages();
        Javalin before = Javalin.create(stages::configure);
        before.beforeMatched("/x", ctx -> {});
        Javalin after = Javalin.create(stages::configure);
        after.afterMatched("/y", ctx -> {});
        Javalin roles = Javalin.create(stages::configure);
        roles.get("/z", ctx -> {}, Role.ADMIN);

        assertEquals(
                "BEFORE_MATCHED /x: the listener's lifecycle has no stage for it (RequestStages)",
                assertThrows(IllegalStateException.class, () -> stages.seal(before))
                        .getMessage());
        assertEquals(
                "AFTER_MATCHED /y: the listener's lifecycle has no stage for it (RequestStages)",
                assertThrows(IllegalStateException.class, () -> stages.seal(after))
                        .getMessage());
        assertEquals(
                "GET /z: the listener's lifecycle sets no route roles (RequestStages)",
                assertThrows(IllegalStateException.class, () -> stages.seal(roles))
                        .getMessage());
    }

    private enum Role implements RouteRole {
        ADMIN
    }

    private static int send(HttpClient client, Javalin app, String method, String path) throws Exception {
        return client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
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
