/**
 * @module interfaces/http/metrics
 * Prometheus metrics (text exposition format 0.0.4): requests by route, method and status, request
 * durations by route (a histogram), and gauges read at scrape time (index versions and files, open
 * documents, resident memory).
 */
import type { WorkspaceSet } from '../../engine/index.js';

/** Histogram buckets of request durations, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export class HttpMetrics {
  readonly #requests = new Map<string, number>();
  readonly #durations = new Map<string, Histogram>();
  readonly #updates = new Map<string, number>();

  /** Counts one request. */
  request(route: string, method: string, status: number, seconds: number): void {
    const key = `${route}\u0000${method}\u0000${status}`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    let histogram = this.#durations.get(route);
    if (!histogram) {
      histogram = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.#durations.set(route, histogram);
    }
    for (const [i, bound] of BUCKETS.entries()) if (seconds <= bound) histogram.counts[i]!++;
    histogram.sum += seconds;
    histogram.count++;
  }

  /** Counts one update of a folder. */
  update(root: string): void {
    this.#updates.set(root, (this.#updates.get(root) ?? 0) + 1);
  }

  /** The exposition text. */
  render(set: WorkspaceSet): string {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    family('rtc_http_requests_total', 'counter', 'HTTP requests by route, method and status');
    for (const [key, count] of this.#requests) {
      const [route, method, status] = key.split('\u0000') as [string, string, string];
      lines.push(`rtc_http_requests_total${labels({ route, method, status })} ${count}`);
    }
    family('rtc_http_request_duration_seconds', 'histogram', 'HTTP request durations by route');
    for (const [route, histogram] of this.#durations) {
      for (const [i, bound] of BUCKETS.entries())
        lines.push(
          `rtc_http_request_duration_seconds_bucket${labels({ route, le: String(bound) })} ${histogram.counts[i]}`,
        );
      lines.push(
        `rtc_http_request_duration_seconds_bucket${labels({ route, le: '+Inf' })} ${histogram.count}`,
        `rtc_http_request_duration_seconds_sum${labels({ route })} ${histogram.sum}`,
        `rtc_http_request_duration_seconds_count${labels({ route })} ${histogram.count}`,
      );
    }
    const folders = set.list();
    family('rtc_index_version', 'gauge', 'The index version (generation) of each workspace folder');
    for (const folder of folders)
      lines.push(`rtc_index_version${labels({ workspace: folder.root })} ${folder.version}`);
    family('rtc_index_files', 'gauge', 'Indexed files of each workspace folder');
    for (const folder of folders)
      lines.push(`rtc_index_files${labels({ workspace: folder.root })} ${folder.files}`);
    family('rtc_updates_total', 'counter', 'Live updates applied to each workspace folder');
    for (const folder of folders)
      lines.push(
        `rtc_updates_total${labels({ workspace: folder.root })} ${this.#updates.get(folder.root) ?? 0}`,
      );
    family('rtc_open_documents', 'gauge', 'Unsaved buffers open');
    lines.push(`rtc_open_documents ${set.documents().length}`);
    family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes');
    lines.push(`process_resident_memory_bytes ${process.memoryUsage.rss()}`);
    return `${lines.join('\n')}\n`;
  }
}

function labels(values: Record<string, string>): string {
  const parts = Object.entries(values).map(
    ([name, value]) =>
      `${name}="${value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"')}"`,
  );
  return `{${parts.join(',')}}`;
}
