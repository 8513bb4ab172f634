package dev.serval.paxexam;

import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.sdk.testkit.TestModel;
import dev.serval.sdk.testkit.TestWorker;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;

/**
 * A handler service at work inside the framework, on a model the SDK's test kit loads as the
 * server does. Apart from {@link Inside}, which a framework without the test kit uses too.
 */
final class Workers {

    private Workers() {}

    /**
     * Runs a request through a new instance of the named handler service, as a worker of the
     * server would: the handler initialized on the model, loaded as the server loads it.
     */
    static Response infer(BundleContext context, String handler, Path model, Request request) throws Exception {
        ServiceReference<Handler> reference =
                Inside.reference(context, Handler.class, "(" + Handler.NAME + "=" + handler + ")");
        ServiceObjects<Handler> objects = context.getServiceObjects(reference);
        Handler instance = objects.getService();
        try (TestModel loaded = TestModel.load(model);
                TestWorker<Handler> worker = loaded.start(instance)) {
            return worker.handle(request);
        } finally {
            objects.ungetService(instance);
        }
    }
}
