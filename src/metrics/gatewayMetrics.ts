import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SourceSystem } from '../../adapters/types';
import type { BreakerState } from '../sources/sourceBreakers';

/** How one source call ended, as counted in `gateway_source_calls_total`. */
export type SourceCallOutcome = 'ok' | 'error' | 'breaker_open' | 'overloaded' | 'deadline';

/** What the pools report; null for SQLite (no pool). */
export type PoolUsageReader = () => { inUse: number; waiting: number; max: number } | null;

/** The gateway's Prometheus metrics, in a registry of its own (several gateways may share a test process). */
export interface GatewayMetrics {
  readonly registry: Registry;
  /** A GraphQL request finished: its operation name (bounded), HTTP status and duration. */
  requestFinished(operation: string, status: number, seconds: number): void;
  /** A request refused before any work: `overloaded` (503) or `caller_limit` (429). */
  requestRefused(reason: 'overloaded' | 'caller_limit'): void;
  sourceCall(source: SourceSystem, outcome: SourceCallOutcome, seconds: number): void;
  auditWritten(): void;
  auditFailed(): void;
  /** Reads breaker states, pool usage and requests in flight when scraped (each given once, by whoever owns it). */
  watch(readers: Partial<WatchedState>): void;
}

export interface WatchedState {
  breakers: () => Record<SourceSystem, BreakerState>;
  pools: Record<string, PoolUsageReader>;
  inFlight: () => number;
}

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };
/** Operation names come from clients: only this many distinct ones get their own series, the rest are `other`. */
const MAX_OPERATIONS = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  let watched: Partial<WatchedState> = {};
  collectDefaultMetrics({ register: registry, prefix: 'gateway_' });
  const requests = new Counter({
    name: 'gateway_graphql_requests_total',
    help: 'GraphQL requests answered, by operation name and HTTP status.',
    labelNames: ['operation', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'gateway_graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL request to sending its response, by operation name.',
    labelNames: ['operation'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const refused = new Counter({
    name: 'gateway_requests_refused_total',
    help: 'Requests refused before any work: overloaded (503) or caller_limit (429).',
    labelNames: ['reason'],
    registers: [registry],
  });
  const sourceCalls = new Counter({
    name: 'gateway_source_calls_total',
    help: 'Calls to legacy sources, by source and outcome (ok, error, breaker_open, overloaded, deadline).',
    labelNames: ['source', 'outcome'],
    registers: [registry],
  });
  const sourceLatency = new Histogram({
    name: 'gateway_source_call_duration_seconds',
    help: 'Duration of source calls that reached the source (ok or error), retries included.',
    labelNames: ['source'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const breaker = new Gauge({
    name: 'gateway_source_breaker_state',
    help: 'Circuit breaker per source: 0 closed, 1 half open, 2 open.',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      for (const [source, state] of Object.entries(watched.breakers?.() ?? {})) breaker.set({ source }, BREAKER_VALUE[state]);
    },
  });
  const pool = new Gauge({
    name: 'gateway_pool_connections',
    help: 'Connection pool usage per database (sources and the gateway store): in_use, waiting and max.',
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      for (const [name, read] of Object.entries(watched.pools ?? {})) {
        const usage = read();
        if (!usage) continue;
        pool.set({ pool: name, state: 'in_use' }, usage.inUse);
        pool.set({ pool: name, state: 'waiting' }, usage.waiting);
        pool.set({ pool: name, state: 'max' }, usage.max);
      }
    },
  });
  const inFlight = new Gauge({
    name: 'gateway_graphql_requests_in_flight',
    help: 'GraphQL requests admitted and not yet answered.',
    registers: [registry],
    collect() {
      inFlight.set(watched.inFlight?.() ?? 0);
    },
  });
  const auditWritten = new Counter({ name: 'gateway_audit_events_written_total', help: 'Access audit events committed to the chain.', registers: [registry] });
  const auditFailed = new Counter({
    name: 'gateway_audit_failures_total',
    help: 'Access audit events that could not be written (the response was withheld: AUDIT_UNAVAILABLE).',
    registers: [registry],
  });
  const operations = new Set<string>();
  const operationLabel = (name: string): string => {
    if (!OPERATION_NAME.test(name)) return 'other';
    if (operations.has(name)) return name;
    if (operations.size >= MAX_OPERATIONS) return 'other';
    operations.add(name);
    return name;
  };
  return {
    registry,
    requestFinished(operation, status, seconds) {
      const label = operation === 'anonymous' ? operation : operationLabel(operation);
      requests.inc({ operation: label, status: String(status) });
      latency.observe({ operation: label }, seconds);
    },
    requestRefused: (reason) => refused.inc({ reason }),
    sourceCall(source, outcome, seconds) {
      sourceCalls.inc({ source, outcome });
      if (outcome === 'ok' || outcome === 'error') sourceLatency.observe({ source }, seconds);
    },
    auditWritten: () => auditWritten.inc(),
    auditFailed: () => auditFailed.inc(),
    watch(readers) {
      watched = { ...watched, ...readers };
    },
  };
}
