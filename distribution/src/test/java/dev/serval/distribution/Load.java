package dev.serval.distribution;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Requests on two threads until closed, counting every answer that is not a 200 by status (-1: no answer). */
final class Load implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger answered = new AtomicInteger();
    private final Map<Integer, Integer> failures = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    /** @param request sends one request */
    Load(Callable<HttpResponse<String>> request) {
        for (int i = 0; i < 2; i++) {
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = request.call();
                        if (response.statusCode() != 200) {
                            failures.merge(response.statusCode(), 1, Integer::sum);
                        }
                        answered.incrementAndGet();
                    } catch (Exception e) {
                        failures.merge(-1, 1, Integer::sum);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
    }

    /** @return the requests answered so far */
    int answered() {
        return answered.get();
    }

    /** @return the answers that were not a 200, by status */
    Map<Integer, Integer> failures() {
        return Map.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }
}
