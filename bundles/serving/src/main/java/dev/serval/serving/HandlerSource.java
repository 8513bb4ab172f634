package dev.serval.serving;

import dev.serval.sdk.Handler;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a model version's workers get their handler instances: one per worker, taken when the
 * worker starts and given back when it stops. On the server it is the handler bundle's
 * prototype-scoped OSGi service; embedded, it is a factory.
 */
public interface HandlerSource {

    /**
     * @return a new handler instance for one worker
     * @throws RuntimeException when no instance can be made; the version is then FAILED
     */
    Handler get();

    /**
     * Gives back an instance from {@link #get()}, once the worker has closed it.
     *
     * @param handler the instance
     */
    void release(Handler handler);

    /**
     * @param factory makes one handler instance per worker, as {@code MyHandler::new} does
     * @return a source of the factory's instances; releasing one does nothing more
     */
    static HandlerSource of(Supplier<? extends Handler> factory) {
        Objects.requireNonNull(factory, "factory");
        return new HandlerSource() {
            @Override
            public Handler get() {
                return factory.get();
            }

            @Override
            public void release(Handler handler) {
                // The worker has closed it; nothing else holds it.
            }
        };
    }
}
