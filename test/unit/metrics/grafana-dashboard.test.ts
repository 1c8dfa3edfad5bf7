import fs from 'node:fs';
import path from 'node:path';
import type { WallSnapshot } from '../../../src/api/wall';
import { createPrometheusMetrics } from '../../../src/metrics/prometheus';
import { projectRoot } from '../../../src/shared/paths';

/**
 * docs/grafana/hotline-dashboard.json: a Grafana dashboard (schemaVersion 39, datasource input
 * ${DS_PROMETHEUS}) whose every PromQL expression names only metrics the registry exposes, and
 * that shows every hotline_ metric somewhere.
 */
interface Target {
  expr?: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  title: string;
  type: string;
  datasource?: { uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  schemaVersion: number;
  uid: string;
  title: string;
  __inputs: Array<{ name: string; pluginId: string }>;
  panels: Panel[];
  templating: { list: Array<{ name: string; query?: string | { query?: string } }> };
}

const dashboard = JSON.parse(
  fs.readFileSync(path.join(projectRoot(), 'docs/grafana/hotline-dashboard.json'), 'utf8'),
) as Dashboard;
const panels = (list: Panel[]): Panel[] => list.flatMap((p) => [p, ...panels(p.panels ?? [])]);

/** PromQL words that are not metric names (functions are recognised by their parenthesis). */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool']);
const KEYWORDS_OPS = new Set(['and', 'or', 'unless', 'offset', 'inf', 'nan']);

/** The metric names an expression reads. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
  const names: string[] = [];
  for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    const after = bare.slice((m.index ?? 0) + word.length).trimStart();
    if (after.startsWith('(')) continue; // a function
    if (KEYWORDS.has(word) || KEYWORDS_OPS.has(word.toLowerCase())) continue;
    if (/^\d/.test(word) || /^e\d+$/.test(word)) continue;
    names.push(word);
  }
  return names;
}

const emptyWall: WallSnapshot = {
  seq: 0,
  at: new Date(0).toISOString(),
  day: { start: new Date(0).toISOString(), end: new Date(0).toISOString(), timezone: 'UTC' },
  queues: [],
  calls: [],
  agents: [],
};

describe('the Grafana dashboard (docs/grafana/hotline-dashboard.json)', () => {
  it('is a Grafana dashboard on the ${DS_PROMETHEUS} datasource input', () => {
    expect(dashboard.schemaVersion).toBe(39);
    expect(dashboard.uid).toBe('hotline-ops');
    expect(dashboard.__inputs).toEqual([
      expect.objectContaining({ name: 'DS_PROMETHEUS', pluginId: 'prometheus' }),
    ]);
    const all = panels(dashboard.panels);
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    for (const p of all) {
      expect(p.datasource?.uid).toBe('${DS_PROMETHEUS}');
      for (const t of p.targets ?? []) expect(t.datasource?.uid).toBe('${DS_PROMETHEUS}');
    }
  });

  it('reads only metrics the registry exposes, and shows every hotline_ metric', async () => {
    const metrics = createPrometheusMetrics({
      wall: () => ({ snapshot: () => emptyWall }),
      ariState: () => 'open',
    });
    const families = await metrics.registry.getMetricsAsJSON();
    const exposed = new Set<string>();
    for (const f of families) {
      exposed.add(f.name);
      if (String(f.type) === 'histogram')
        for (const s of ['_bucket', '_sum', '_count']) exposed.add(f.name + s);
    }
    const exprs = [
      ...panels(dashboard.panels).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? '')),
      ...dashboard.templating.list.flatMap((v) =>
        // Grafana's label_values(METRIC, LABEL): the metric is the expression.
        typeof v.query === 'object' && v.query.query
          ? [v.query.query.replace(/^label_values\((.*),\s*\w+\)$/, '$1')]
          : [],
      ),
    ].filter(Boolean);
    expect(exprs.length).toBeGreaterThan(15);
    const unknown = exprs.flatMap((e) => metricNames(e).filter((n) => !exposed.has(n)));
    expect(unknown).toEqual([]);
    const used = new Set(
      exprs.flatMap(metricNames).map((n) => n.replace(/_(bucket|sum|count)$/, '')),
    );
    const ours = families.map((f) => f.name).filter((n) => n.startsWith('hotline_'));
    expect(ours.filter((n) => !used.has(n))).toEqual([]);
  });

  it('finds the names in PromQL (the reader the check above relies on)', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le) (rate(hotline_pop_latency_seconds_bucket{job=~"$job"}[5m])))',
      ),
    ).toEqual(['hotline_pop_latency_seconds_bucket']);
    expect(metricNames('process_resident_memory_bytes{a="b"} / 1e9 and up')).toEqual([
      'process_resident_memory_bytes',
      'up',
    ]);
  });
});
