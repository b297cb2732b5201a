// Per-controller metrics in the Prometheus text format, named as controller-runtime and client-go's
// workqueue name them, so dashboards written for real controllers read ours:
//   controller_runtime_reconcile_total{controller, result}   success | error | conflict | requeue_after
//   controller_runtime_reconcile_errors_total{controller}
//   controller_runtime_reconcile_time_seconds{controller}    histogram (reconcile + commit, wall time)
//   workqueue_depth{name}                                    keys waiting
// Latency is wall time on purpose: it measures our code, never the simulated clock.

export type ReconcileOutcome = 'success' | 'error' | 'conflict' | 'requeue_after';

const BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

export class ControllerMetrics {
  readonly outcomes: Record<ReconcileOutcome, number> = { success: 0, error: 0, conflict: 0, requeue_after: 0 };
  private readonly buckets = BUCKETS.map(() => 0);
  private count = 0;
  private sum = 0;

  constructor(
    readonly controller: string,
    private readonly depth: () => number,
  ) {}

  get reconciles(): number {
    return this.count;
  }

  get errors(): number {
    return this.outcomes.error;
  }

  observe(outcome: ReconcileOutcome, seconds: number): void {
    this.outcomes[outcome]++;
    this.count++;
    this.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) this.buckets[i]++;
  }

  /** This controller's samples; the HELP/TYPE headers are written once by `metricsText`. */
  samples(): Record<string, string[]> {
    const c = `controller="${this.controller}"`;
    return {
      controller_runtime_reconcile_total: Object.entries(this.outcomes).map(([r, n]) => `controller_runtime_reconcile_total{${c},result="${r}"} ${n}`),
      controller_runtime_reconcile_errors_total: [`controller_runtime_reconcile_errors_total{${c}} ${this.outcomes.error}`],
      controller_runtime_reconcile_time_seconds: [
        ...BUCKETS.map((b, i) => `controller_runtime_reconcile_time_seconds_bucket{${c},le="${b}"} ${this.buckets[i]}`),
        `controller_runtime_reconcile_time_seconds_bucket{${c},le="+Inf"} ${this.count}`,
        `controller_runtime_reconcile_time_seconds_sum{${c}} ${this.sum}`,
        `controller_runtime_reconcile_time_seconds_count{${c}} ${this.count}`,
      ],
      workqueue_depth: [`workqueue_depth{name="${this.controller}"} ${this.depth()}`],
    };
  }
}

const HEADERS: Record<string, [type: string, help: string]> = {
  controller_runtime_reconcile_total: ['counter', 'Total number of reconciliations per controller'],
  controller_runtime_reconcile_errors_total: ['counter', 'Total number of reconciliation errors per controller'],
  controller_runtime_reconcile_time_seconds: ['histogram', 'Length of time per reconciliation per controller'],
  workqueue_depth: ['gauge', 'Current depth of workqueue'],
};

/** All controllers' metrics as one Prometheus text exposition. */
export function metricsText(all: ControllerMetrics[]): string {
  const lines: string[] = [];
  for (const [name, [type, help]] of Object.entries(HEADERS)) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const m of all) lines.push(...m.samples()[name]);
  }
  return lines.join('\n') + '\n';
}
