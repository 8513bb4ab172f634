package dev.serval.sdk;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Serves one model: turns each batch of requests into responses.
 *
 * <p>Publish an implementation as an OSGi service with the {@link #NAME} property, for example
 * with Declarative Services:
 *
 * <pre>{@code
 * @Component(service = Handler.class, scope = ServiceScope.PROTOTYPE,
 *            property = Handler.NAME + "=my_handler")
 * public class MyHandler implements Handler { ... }
 * }</pre>
 *
 * <p>Use the prototype scope: the server asks for one instance per worker, calls
 * {@link #initialize(Context)} once on it, and then hands it batches from that worker's thread
 * only, so an instance never sees two batches at once and may keep per-model state in fields.
 */
@ConsumerType
public interface Handler {

    /** The service property holding the handler's name, as model manifests refer to it. */
    String NAME = "serval.handler";

    /**
     * Prepares the handler for the model the context describes, before its first batch.
     *
     * @param context the model and worker this instance serves
     * @throws Exception when the model cannot be served; the model is then reported as failed
     */
    default void initialize(Context context) throws Exception {}

    /**
     * Answers a batch of requests.
     *
     * @param batch one or more requests, in arrival order
     * @param context the same context {@link #initialize(Context)} received
     * @return one response per request, in the order of {@code batch}
     * @throws HandlerException to answer every request of the batch with its status and message
     * @throws Exception for any other failure, answered as an internal server error
     */
    List<Response> handle(List<Request> batch, Context context) throws Exception;

    /** Releases what {@link #initialize(Context)} acquired; called once when the worker stops. */
    default void close() {}
}
