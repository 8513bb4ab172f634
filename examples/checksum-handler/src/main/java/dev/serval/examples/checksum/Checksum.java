package dev.serval.examples.checksum;

import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * {@code checksum}: answers each request with its body's SHA-256 and length, without running the
 * model. The smallest handler there is: {@link Handler#handle} alone.
 */
@Component(service = Handler.class, scope = ServiceScope.PROTOTYPE, property = Handler.NAME + "=" + Checksum.NAME)
public class Checksum implements Handler {

    /** The handler name model archives refer to. */
    public static final String NAME = "checksum";

    @Override
    public List<Response> handle(List<Request> batch, Context context) {
        return batch.stream()
                .map(request -> Response.json(
                        Map.of("sha256", DigestUtils.sha256Hex(request.body()), "bytes", request.body().length)))
                .toList();
    }
}
