package dev.serval.kernel.grpc;

import dev.serval.kernel.manage.Health;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.function.Supplier;

/**
 * gRPC's standard health service ({@code grpc.health.v1.Health/Check}), for probes that speak
 * gRPC (Kubernetes' {@code grpc:} probe, {@code grpc_health_probe}): SERVING exactly when
 * {@code /ping} is Healthy, for the server ({@code ""}) and for each service it offers.
 */
final class HealthService extends HealthGrpc.HealthImplBase {

    /** The probe's full method name, answered without a key as {@code /ping} is. */
    static final String CHECK = HealthGrpc.getCheckMethod().getFullMethodName();

    private final Supplier<Health> health;
    private final Set<String> services;

    /**
     * @param health the start-up models' readiness, now
     * @param services the services a probe may name besides the server's {@code ""}
     */
    HealthService(Supplier<Health> health, Set<String> services) {
        this.health = health;
        this.services = Set.copyOf(services);
    }

    @Override
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> observer) {
        if (!request.getService().isEmpty() && !services.contains(request.getService())) {
            // The protocol's answer for a service the server does not know.
            observer.onError(Status.NOT_FOUND
                    .withDescription("Unknown service " + request.getService())
                    .asRuntimeException());
            return;
        }
        observer.onNext(HealthCheckResponse.newBuilder()
                .setStatus(
                        health.get().healthy()
                                ? HealthCheckResponse.ServingStatus.SERVING
                                : HealthCheckResponse.ServingStatus.NOT_SERVING)
                .build());
        observer.onCompleted();
    }
}
