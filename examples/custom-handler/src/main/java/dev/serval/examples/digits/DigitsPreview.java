package dev.serval.examples.digits;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.serval.sdk.Context;
import dev.serval.sdk.Describable;
import dev.serval.sdk.Handler;
import dev.serval.sdk.ModelHandler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.binary.Base64;
import org.apache.commons.codec.digest.DigestUtils;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * {@code digits_preview}: reads a handwritten digit and answers it with the 28×28 image the model
 * actually saw, so a client can tell a wrong answer from a badly cropped photo.
 *
 * <pre>{@code
 * {"digit": "5", "probability": 0.998, "sha256": "9f86…", "preview": "data:image/png;base64,iVBOR…"}
 * }</pre>
 *
 * <p>Model-config keys under {@code handler:}: {@code mean} and {@code std}, the normalization the
 * model was trained with; describe's {@code ?customized=true} shows the ones it runs with.
 */
@Component(service = Handler.class, scope = ServiceScope.PROTOTYPE, property = Handler.NAME + "=" + DigitsPreview.NAME)
public class DigitsPreview extends ModelHandler implements Describable {

    /** The handler name model archives refer to. */
    public static final String NAME = "digits_preview";

    private float mean;
    private float std;
    // One instance per worker, one batch at a time: preprocess can leave the batch's images here
    // for postprocess without any locking.
    private List<Digit> digits;

    @Override
    public void initialize(Context context) {
        // The digits model's model-config.yaml gives them as one-element lists: [0.1302].
        mean = context.config()
                .getDoubles("mean")
                .orElse(List.of(0.1302))
                .get(0)
                .floatValue();
        std = context.config().getDoubles("std").orElse(List.of(0.3069)).get(0).floatValue();
    }

    @Override
    public Map<String, Object> describe(Context context) {
        return Map.of("mean", mean, "std", std);
    }

    @Override
    protected NDList preprocess(List<Request> batch, NDManager manager, Context context) throws Exception {
        digits = new ArrayList<>(batch.size());
        float[] input = new float[batch.size() * Digit.PIXELS];
        for (int i = 0; i < batch.size(); i++) {
            Digit digit = Digit.read(batch.get(i).body());
            digits.add(digit);
            digit.normalize(mean, std, input, i * Digit.PIXELS);
        }
        return new NDList(manager.create(input, new Shape(batch.size(), 1, Digit.SIZE, Digit.SIZE)));
    }

    @Override
    protected List<Response> postprocess(NDList output, List<Request> batch, Context context) throws Exception {
        // The digits ConvNet ends in log_softmax: each row holds log-probabilities already.
        float[] logProbabilities = output.singletonOrThrow().toFloatArray();
        int classes = logProbabilities.length / batch.size();
        List<Response> responses = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            int best = i * classes;
            for (int c = best + 1; c < (i + 1) * classes; c++) {
                best = logProbabilities[c] > logProbabilities[best] ? c : best;
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("digit", String.valueOf(best - i * classes));
            answer.put("probability", (float) Math.exp(logProbabilities[best]));
            answer.put("sha256", DigestUtils.sha256Hex(batch.get(i).body()));
            answer.put(
                    "preview",
                    "data:image/png;base64,"
                            + Base64.encodeBase64String(digits.get(i).png()));
            responses.add(Response.json(answer));
        }
        return responses;
    }
}
