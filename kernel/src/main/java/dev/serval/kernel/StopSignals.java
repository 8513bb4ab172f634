package dev.serval.kernel;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * SIGTERM and SIGINT handled by the server itself, with {@code sun.misc.Signal}, which JEP 260
 * keeps in {@code jdk.unsupported} for this use. It is called reflectively only because javac
 * warns of every use of {@code sun.misc} with no way to suppress it, and the build compiles with
 * {@code -Werror}.
 */
final class StopSignals {

    private StopSignals() {}

    /**
     * @param names the signals, as {@code sun.misc.Signal} names them ({@code TERM}, {@code INT})
     * @param action what each of them does, on the JVM's signal thread: quick, as it must be
     * @throws IllegalStateException when this JVM has no {@code sun.misc.Signal}
     */
    static void handle(List<String> names, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(
                    handlerType.getClassLoader(),
                    new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "serval stop signal handler";
                    });
            Method handle = signal.getMethod("handle", signal, handlerType);
            for (String name : names) {
                handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("This JVM cannot handle signals (no sun.misc.Signal): " + e, e);
        }
    }
}
