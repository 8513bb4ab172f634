package dev.serval.sdk;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link Handler} that describes itself, as TorchServe's {@code describe_handle} does: the
 * management API's {@code GET /models/{model}?customized=true} answers what it returns as the
 * describe record's {@code customizedMetadata}.
 *
 * <p>The server calls it on one worker's handler instance, on that worker's thread between two
 * batches, so it needs no more thread-safety than {@link Handler#handle handle}: it may read the
 * instance's fields as they are.
 */
@ConsumerType
public interface Describable {

    /**
     * @param context the same context {@link Handler#initialize(Context)} received
     * @return the fields of a JSON object: maps, lists, strings, numbers, booleans and nulls,
     *     written with Jackson
     * @throws Exception when it cannot be described; the describe call answers 503
     */
    Map<String, Object> describe(Context context) throws Exception;
}
