package dev.serval.examples.digits;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.ModelHandler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * {@code mnist_handler}: TorchServe's MNIST example handler ({@code
 * examples/image_classifier/mnist/mnist_handler.py} in pytorch/serve, class {@code
 * MNISTDigitClassifier}) ported to Java, step for step; {@code docs/porting-from-torchserve.md}
 * sets the two side by side. Its answer is TorchServe's: the digit as a bare number, {@code 5}.
 *
 * <p>Model-config keys under {@code handler:}: {@code mean} and {@code std}; without them, the
 * Python's {@code transforms.Normalize((0.1307,), (0.3081,))}.
 */
@Component(
        service = Handler.class,
        scope = ServiceScope.PROTOTYPE,
        property = Handler.NAME + "=" + MnistDigitClassifier.NAME)
public class MnistDigitClassifier extends ModelHandler {

    /** The handler name model archives refer to: the Python file's, without {@code .py}. */
    public static final String NAME = "mnist_handler";

    private float mean;
    private float std;

    /** The Python's {@code initialize} is BaseHandler's: the server has loaded the model already. */
    @Override
    public void initialize(Context context) {
        mean = context.config()
                .getDoubles("mean")
                .map(m -> m.get(0).floatValue())
                .orElse(0.1307f);
        std = context.config().getDoubles("std").map(s -> s.get(0).floatValue()).orElse(0.3081f);
    }

    /** VisionHandler's {@code preprocess}: each image through {@code image_processing}, stacked into one batch. */
    @Override
    protected NDList preprocess(List<Request> batch, NDManager manager, Context context) throws Exception {
        float[] input = new float[batch.size() * Digit.PIXELS];
        for (int i = 0; i < batch.size(); i++) {
            Digit.read(batch.get(i).body()).normalize(mean, std, input, i * Digit.PIXELS);
        }
        return new NDList(manager.create(input, new Shape(batch.size(), 1, Digit.SIZE, Digit.SIZE)));
    }

    /** {@code return data.argmax(1).tolist()}: one number per request. */
    @Override
    protected List<Response> postprocess(NDList output, List<Request> batch, Context context) {
        long[] digits = output.singletonOrThrow().argMax(1).toLongArray();
        List<Response> responses = new ArrayList<>(digits.length);
        for (long digit : digits) {
            responses.add(Response.json(digit));
        }
        return responses;
    }
}
