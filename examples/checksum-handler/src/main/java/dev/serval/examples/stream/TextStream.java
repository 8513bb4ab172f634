package dev.serval.examples.stream;

import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * {@code text_stream}: streams the request's text back a word at a time, as a text generator
 * streams its tokens. Each word but the last is an intermediate answer on the request's
 * {@link dev.serval.sdk.ResponseStream}; the last word is the final answer. The handler pauses
 * {@code pause_ms} (from the {@code handler:} section of {@code model-config.yaml}, 0 by default)
 * before each word after the first, as a model would while making it, and stops as soon as nobody
 * takes the words any more. The requests of a batch are streamed one after the other, each on its
 * own stream.
 */
@Component(service = Handler.class, scope = ServiceScope.PROTOTYPE, property = Handler.NAME + "=" + TextStream.NAME)
public class TextStream implements Handler {

    /** The handler name model archives refer to. */
    public static final String NAME = "text_stream";

    /** A word and the spaces after it, so that the parts put together are the text. */
    private static final Pattern WORD = Pattern.compile("\\S+\\s*|\\s+");

    private long pauseMs;

    @Override
    public void initialize(Context context) {
        pauseMs = context.config().getInt("pause_ms", 0);
    }

    @Override
    public List<Response> handle(List<Request> batch, Context context) throws InterruptedException {
        List<Response> answers = new ArrayList<>(batch.size());
        for (Request request : batch) {
            answers.add(stream(request));
        }
        return answers;
    }

    // guide:begin stream
    private Response stream(Request request) throws InterruptedException {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(request.bodyAsString());
        while (matcher.find()) {
            words.add(matcher.group());
        }
        for (int i = 0; i < words.size() - 1; i++) {
            if (i > 0) {
                Thread.sleep(pauseMs);
            }
            if (!request.stream().send(text(words.get(i)))) {
                // The client went away: the rest would be thrown away.
                return text("");
            }
        }
        if (words.size() > 1) {
            Thread.sleep(pauseMs);
        }
        return text(words.isEmpty() ? "" : words.get(words.size() - 1));
    }
    // guide:end stream

    private static Response text(String part) {
        return Response.bytes(part.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }
}
