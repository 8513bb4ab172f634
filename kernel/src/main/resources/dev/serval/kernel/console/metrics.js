// The server's own metrics (GET /server/metrics, Prometheus' text format), per model name over
// its versions: requests and their rate, p50 and p99 latency from the histogram's buckets between
// two samples (as Prometheus' histogram_quantile), queue depth and workers.

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
/** Samples kept for the charts: 90 at the console's refresh of 2 s, three minutes. */
const KEPT = 90;

/** @return per model name: requests, queue, ready, wanted, buckets (le → cumulative count) */
export function parse(text) {
  const models = new Map();
  for (const line of text.split("\n")) {
    const match = LINE.exec(line);
    if (!match) {
      continue;
    }
    const [, name, labelText, value] = match;
    const labels = {};
    for (const [, key, raw] of (labelText || "").matchAll(LABEL)) {
      labels[key] = raw.replace(/\\(.)/g, (all, c) => (c === "n" ? "\n" : c));
    }
    if (!labels.model_name) {
      continue;
    }
    const model = models.get(labels.model_name)
      || { requests: 0, queue: 0, ready: 0, wanted: 0, buckets: new Map() };
    models.set(labels.model_name, model);
    const number = Number(value);
    switch (name) {
      case "serval_requests_total": model.requests += number; break;
      case "serval_queue_depth": model.queue += number; break;
      case "serval_workers_ready": model.ready += number; break;
      case "serval_workers_wanted": model.wanted += number; break;
      case "serval_inference_duration_seconds_bucket": {
        const le = labels.le === "+Inf" ? Infinity : Number(labels.le);
        model.buckets.set(le, (model.buckets.get(le) || 0) + number);
        break;
      }
      default:
    }
  }
  return models;
}

/** @return the q-quantile, in ms, of what the buckets counted between two samples; null for none */
export function quantile(q, before, after) {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((le) => after.get(le) - ((before && before.get(le)) || 0));
  const total = counts[counts.length - 1] || 0;
  if (total <= 0) {
    return null;
  }
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (counts[i] >= rank) {
      const lower = i === 0 ? 0 : bounds[i - 1];
      if (bounds[i] === Infinity) {
        return lower * 1000; // beyond the last bound: its lower edge, as Prometheus answers
      }
      const below = i === 0 ? 0 : counts[i - 1];
      const inBucket = counts[i] - below;
      const fraction = inBucket > 0 ? (rank - below) / inBucket : 1;
      return (lower + (bounds[i] - lower) * fraction) * 1000;
    }
  }
  return null;
}

/** The samples taken so far, and what each model did between each two. */
export class History {
  constructor() {
    this.times = [];
    this.series = new Map(); // model → { rate: [], p50: [], p99: [] }
    this.last = null;
    this.lastTime = 0;
  }

  /** Adds a sample taken at `time` (seconds); every series has one value per time. */
  add(time, models) {
    if (this.last) {
      this.times.push(time);
      const seconds = Math.max(time - this.lastTime, 0.001);
      for (const name of [...this.series.keys()]) {
        if (!models.has(name)) {
          this.series.delete(name);
        }
      }
      for (const [name, model] of models) {
        let series = this.series.get(name);
        if (!series) {
          const empty = () => this.times.slice(1).map(() => null);
          series = { rate: empty(), p50: empty(), p99: empty() };
          this.series.set(name, series);
        }
        const previous = this.last.get(name);
        series.rate.push(previous ? Math.max(model.requests - previous.requests, 0) / seconds : null);
        series.p50.push(previous ? quantile(0.5, previous.buckets, model.buckets) : null);
        series.p99.push(previous ? quantile(0.99, previous.buckets, model.buckets) : null);
      }
      if (this.times.length > KEPT) {
        this.times.shift();
        for (const series of this.series.values()) {
          series.rate.shift();
          series.p50.shift();
          series.p99.shift();
        }
      }
    }
    this.last = models;
    this.lastTime = time;
  }

  /** @return the model's latest rate and latencies: the last non-empty ones for the latencies */
  latest(name) {
    const series = this.series.get(name);
    if (!series) {
      return { rate: null, p50: null, p99: null };
    }
    const lastOf = (values) => [...values].reverse().find((v) => v !== null) ?? null;
    return { rate: series.rate[series.rate.length - 1] ?? null, p50: lastOf(series.p50), p99: lastOf(series.p99) };
  }
}
