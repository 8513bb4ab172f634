package dev.serval.bench;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import picocli.CommandLine;

/**
 * The soak's short version, as CI runs it: about a minute with the server's start, where the
 * long one runs ten. Its limits are looser where a short run's trend is noisier, yet a leak of a
 * buffer per request still fails it: at the thousand requests a second a 2-core machine serves,
 * 100 bytes a request on the heap is 6 MB a minute, and 1.5 KB a request outside it 90 MB a minute.
 */
class SoakIT {

    @Test
    void errorsNoneAndServerFlatUnderLoad() throws Exception {
        Soak soak = CommandLine.populateCommand(
                new Soak(),
                // 51 s of load: 20 s of warm-up, the time resident memory takes to settle, then about ten samples.
                "--minutes",
                "0.85",
                "--warmup",
                "20",
                "--sample-every",
                "3",
                // Healthy short runs' heap slopes stay within ±0.6 MB/min. Resident memory samples
                // move by ±8 MB with what is in flight, so over half a minute its slope has a
                // standard error near 18 MB/min; healthy runs measured -31 to +15 MB/min.
                "--max-heap-slope",
                "5",
                "--max-rss-slope",
                "80",
                // Jetty's pools grow to the load's demand, within their bounds, and in a run this short
                // that can fall after the warm-up: one run on an idle machine saw three new
                // JettyServerThreadPool threads there (+4 in all). A leak of a thread or fd per request
                // would add thousands over the measured ~40,000 requests.
                "--max-growth",
                "8",
                "--dist",
                System.getProperty("serval.dist"),
                "--models",
                System.getProperty("serval.models"),
                "--cache",
                System.getProperty("serval.test.cache"),
                "--out",
                "target");
        SoakResults.Report report = soak.run();
        assertAll(report.goals().stream().map(goal -> (Executable) () -> assertTrue(
                goal.pass(),
                goal.name() + ": " + goal.measured() + ", limit " + goal.limit() + "; server log "
                        + report.serverLog())));
    }
}
