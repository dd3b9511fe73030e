/**
 * @module engine/eval/table
 * The evaluation's Markdown table: one row per system, one column per metric.
 */
import type { MetricValues } from './metrics.js';

/** One system's results over all instances. */
export interface EvalSystemSummary {
  system: string;
  /** Instances scored (each counts, failed queries included, with nothing ranked). */
  instances: number;
  /** Instances with at least one gold function (the function metrics are means over these). */
  functionInstances: number;
  /** Queries that failed. */
  errors: number;
  /** The first failure's message. */
  firstError?: string;
  /** Means: `fileAcc@k`, `fileRecall@k`, `mrr`, `fnRecall@k`, `fnAcc@k`. */
  metrics: MetricValues;
  /** Mean milliseconds per query. */
  meanMs: number;
}

/** The columns of the table: [header, metric name]. Recall columns are the cut-offs of 5 and more. */
export function tableColumns(ks: readonly number[]): { file: [string, string][]; fn: [string, string][] } {
  const sorted = [...new Set(ks)].sort((a, b) => a - b);
  const large = sorted.filter((k) => k >= 5);
  const recallKs = large.length > 0 ? large : sorted;
  const maxK = sorted[sorted.length - 1];
  return {
    file: [
      ...sorted.map((k): [string, string] => [`Acc@${k}`, `fileAcc@${k}`]),
      ...recallKs.map((k): [string, string] => [`R@${k}`, `fileRecall@${k}`]),
      ['MRR', 'mrr'],
    ],
    fn: [
      ...recallKs.map((k): [string, string] => [`fn R@${k}`, `fnRecall@${k}`]),
      ...(maxK === undefined ? [] : [[`fn Acc@${maxK}`, `fnAcc@${maxK}`] as [string, string]]),
    ],
  };
}

/** The Markdown table of the systems' means (3 decimals; `–` where a metric has no instance). */
export function formatTable(systems: readonly EvalSystemSummary[], ks: readonly number[]): string {
  const columns = tableColumns(ks);
  const withErrors = systems.some((s) => s.errors > 0);
  const header = [
    'system',
    'n',
    ...columns.file.map(([title]) => title),
    'fn n',
    ...columns.fn.map(([title]) => title),
    'ms/query',
    ...(withErrors ? ['errors'] : []),
  ];
  const value = (metrics: MetricValues, name: string): string => {
    const x = metrics[name];
    return x === undefined ? '–' : x.toFixed(3);
  };
  const rows = systems.map((s) => [
    s.system,
    String(s.instances),
    ...columns.file.map(([, name]) => value(s.metrics, name)),
    String(s.functionInstances),
    ...columns.fn.map(([, name]) => value(s.metrics, name)),
    s.meanMs.toFixed(0),
    ...(withErrors ? [String(s.errors)] : []),
  ]);
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const rule = line(header.map((_, i) => (i === 0 ? '---' : '---:')));
  return [line(header), rule, ...rows.map(line)].join('\n');
}
