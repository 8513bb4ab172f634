package dev.serval.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScalingBenchmarkTest {

    private final Workload digits =
            new Workload("digits_pt", Path.of("digits"), "convnet_digits.pt", () -> null, List.of());
    private final Workload distilbert =
            new Workload("distilbert_pt", Path.of("reviews"), "reviews_distilbert.pt", () -> null, List.of());

    @Test
    void oneModelIsDigitsAndLargerStoresHoldTheSameDistilbertCopies() {
        assertEquals(List.of("digits_pt_00"), names(ScalingBenchmark.layout(1, digits, distilbert)));
        for (int models : List.of(10, 50)) {
            List<Workload> layout = ScalingBenchmark.layout(models, digits, distilbert);
            assertEquals(models, layout.size());
            assertEquals(models, Set.copyOf(names(layout)).size(), "every copy has its own name");
            long larger = layout.stream()
                    .filter(w -> w.folder().equals(distilbert.folder()))
                    .count();
            assertEquals(ScalingBenchmark.DISTILBERT_COPIES, larger);
            assertEquals(larger, ScalingBenchmark.larger(models));
        }
        assertEquals(
                "distilbert_pt_00",
                ScalingBenchmark.layout(10, digits, distilbert).get(0).name());
    }

    private static List<String> names(List<Workload> workloads) {
        return workloads.stream().map(Workload::name).collect(Collectors.toList());
    }
}
