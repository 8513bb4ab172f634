package dev.serval.kernel.metrics;

import dev.serval.kernel.catalog.Catalog;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.ToDoubleFunction;

/**
 * TorchServe 0.12's default frontend metrics under its exact names, types and labels (its
 * {@code ts/configs/metrics.yaml} in {@code metrics_mode=prometheus}), so that a dashboard or
 * alert built for TorchServe reads Serval unchanged: {@code Requests2XX}, {@code Requests4XX},
 * {@code Requests5XX} per {@code Level} and {@code Hostname}; {@code ts_inference_requests_total},
 * {@code ts_inference_latency_microseconds} and {@code ts_queue_latency_microseconds} per
 * {@code model_name}, {@code model_version} and {@code hostname}; the gauges {@code QueueTime} and
 * {@code WorkerLoadTime}.
 *
 * <p>They are written here rather than through the Prometheus client because the client names
 * every counter's sample {@code _total}, as OpenMetrics wants, and TorchServe's counters have no
 * such suffix: a query for {@code Requests2XX} would find nothing.
 */
final class TorchServeMetrics {

    private static final String COUNTER = "counter";
    private static final String GAUGE = "gauge";

    private final String hostname;
    private final Catalog models;
    private final DoubleAdder ok = new DoubleAdder();
    private final DoubleAdder clientErrors = new DoubleAdder();
    private final DoubleAdder serverErrors = new DoubleAdder();
    private final Map<List<String>, VersionCounters> versions = new ConcurrentHashMap<>();
    private volatile double lastQueueMillis;

    /** @param models the models whose workers' load time {@code WorkerLoadTime} shows */
    TorchServeMetrics(Catalog models) {
        this(models, localHostname());
    }

    /**
     * @param models the models whose workers' load time {@code WorkerLoadTime} shows
     * @param hostname the {@code Hostname} and {@code hostname} labels' value
     */
    TorchServeMetrics(Catalog models, String hostname) {
        this.models = models;
        this.hostname = hostname;
    }

    /** TorchServe's {@code Hostname}: the local host's name, {@code Unknown} when it has none. */
    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "Unknown";
        }
    }

    /** @param status a request's answer, counted as TorchServe counts it: 2XX, 4XX, else 5XX */
    void answered(int status) {
        if (status >= 200 && status < 300) {
            ok.add(1);
        } else if (status >= 400 && status < 500) {
            clientErrors.add(1);
        } else {
            serverErrors.add(1);
        }
    }

    /**
     * @param model a model's name
     * @param version the version about to serve
     * @return the observer adding its requests to TorchServe's counters
     */
    ServingObserver observerFor(String model, String version) {
        return versions.computeIfAbsent(List.of(model, version), key -> new VersionCounters());
    }

    /** Drops a version's series, as {@link ModelMetrics#forget} does Serval's. */
    void forget(String model, String version) {
        versions.remove(List.of(model, version));
    }

    /**
     * Writes the families in Prometheus' text format 0.0.4, as TorchServe's client does.
     *
     * @param out where to write
     * @param names the families wanted; all when empty
     * @throws IOException when writing fails
     */
    void write(OutputStream out, Set<String> names) throws IOException {
        Family family = new Family(out, names);
        family.begin("Requests2XX", COUNTER, "Count");
        family.hostSample(ok.sum());
        family.begin("Requests4XX", COUNTER, "Count");
        family.hostSample(clientErrors.sum());
        family.begin("Requests5XX", COUNTER, "Count");
        family.hostSample(serverErrors.sum());
        family.begin("ts_inference_requests_total", COUNTER, "Count");
        family.versionSamples(counters -> counters.requests.sum());
        family.begin("ts_inference_latency_microseconds", COUNTER, "Microseconds");
        family.versionSamples(counters -> counters.inferenceMicros.sum());
        family.begin("ts_queue_latency_microseconds", COUNTER, "Microseconds");
        family.versionSamples(counters -> counters.queueMicros.sum());
        family.begin("QueueTime", GAUGE, "Milliseconds");
        family.hostSample(lastQueueMillis);
        family.begin("WorkerLoadTime", GAUGE, "Milliseconds");
        for (ModelVersion version : models.all()) {
            for (ModelVersion.WorkerInfo worker : version.workers()) {
                family.sample(
                        "WorkerName=\"" + escape("W-" + worker.id() + "-" + version.name() + "_" + version.version())
                                + "\",Level=\"Host\",Hostname=\"" + escape(hostname) + "\"",
                        version.loadTime().toNanos() / 1e6);
            }
        }
        family.out.flush();
    }

    private static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** The family being written, its samples dropped when it is not among those wanted. */
    private final class Family {

        private final Writer out;
        private final Set<String> wanted;
        private String name;
        private boolean writing;

        Family(OutputStream out, Set<String> wanted) {
            this.out = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            this.wanted = wanted;
        }

        void begin(String family, String type, String unit) throws IOException {
            name = family;
            writing = wanted.isEmpty() || wanted.contains(family);
            if (writing) {
                out.write("# HELP " + family + " Torchserve prometheus " + type + " metric with unit: " + unit + "\n");
                out.write("# TYPE " + family + " " + type + "\n");
            }
        }

        void hostSample(double value) throws IOException {
            sample("Level=\"Host\",Hostname=\"" + escape(hostname) + "\"", value);
        }

        void versionSamples(ToDoubleFunction<VersionCounters> value) throws IOException {
            for (Map.Entry<List<String>, VersionCounters> version : versions.entrySet()) {
                List<String> key = version.getKey();
                sample(
                        "model_name=\"" + escape(key.get(0)) + "\",model_version=\"" + escape(key.get(1))
                                + "\",hostname=\"" + escape(hostname) + "\"",
                        value.applyAsDouble(version.getValue()));
            }
        }

        void sample(String labels, double value) throws IOException {
            if (writing) {
                out.write(name + "{" + labels + "} " + value + "\n");
            }
        }
    }

    /**
     * One version's counters. TorchServe's inference latency runs from a request's arrival to its
     * answer, so it takes the time queued as well as the handler's.
     */
    private final class VersionCounters implements ServingObserver {

        private final DoubleAdder requests = new DoubleAdder();
        private final DoubleAdder inferenceMicros = new DoubleAdder();
        private final DoubleAdder queueMicros = new DoubleAdder();

        @Override
        public void received() {
            requests.add(1);
        }

        @Override
        public void dequeued(long queuedNanos) {
            double micros = queuedNanos / 1_000.0;
            queueMicros.add(micros);
            inferenceMicros.add(micros);
            // TorchServe's QueueTime is the last request's, in whole milliseconds
            lastQueueMillis = TimeUnit.NANOSECONDS.toMillis(queuedNanos);
        }

        @Override
        public void batchServed(int size, long nanos) {
            inferenceMicros.add(size * (nanos / 1_000.0));
        }
    }
}
