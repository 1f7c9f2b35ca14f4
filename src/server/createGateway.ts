import http from 'node:http';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Request } from 'express';
import type { GatewayContext } from '../context/GatewayContext';
import { startCheckpointWriter } from '../audit/auditCheckpoints';
import { bearerToken, TokenRejected } from '../auth/tokenVerifier';
import { PURPOSE_HEADER } from '../authz/requestAuthorization';
import { ErrorCode } from '../errors/ErrorCode';
import { OverloadedError, UnauthenticatedError } from '../errors/errors';
import { formatError } from '../errors/formatError';
import { useAccessAudit } from '../plugins/useAccessAudit';
import { loadPersistedOperations, persistedOperations } from '../limits/persistedOperations';
import { refuseLongQueries } from '../limits/refuseLongQueries';
import { useOperationLimits } from '../plugins/useOperationLimits';
import { useRequestLogging } from '../plugins/useRequestLogging';
import { OVERLOAD_RETRY_AFTER_SECONDS, useSourceFailureErrors } from '../plugins/useSourceFailureErrors';
import { createAdmissionGate } from './admissionGate';
import { corsMiddleware } from './cors';
import { explorerRoutes } from './explorer/explorerRoutes';
import { buildGatewaySchema } from '../schema/buildSchema';
import { documentDownloadRoute } from './documentDownloadRoute';
import { reportCsvRoute } from './reportCsvRoute';
import type { GatewayServices } from './GatewayServices';
import { checkReadiness } from './readiness';
import { createRequestContext } from './requestContext';

export interface Gateway {
  readonly httpServer: http.Server;
  /** Starts listening; resolves with the bound port (useful when PORT=0 in tests). */
  listen(port: number, host: string): Promise<number>;
  /** Stops taking requests, lets in-flight ones finish, then closes sources and the store. */
  stop(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function requestIdOf(req: Request): string {
  const given = req.header('x-request-id');
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Whether a request carries the configured metrics token (compared in constant time). */
function hasMetricsToken(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** A caller already has their share of concurrent requests: 429, and their other requests go on. */
class CallerLimitError extends OverloadedError {
  constructor(limit: number) {
    super(`You already have ${limit} requests in progress; wait for one to finish, then try again.`);
    this.extensions.http = { status: 429, headers: new HeaderMap([['retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS)]]) };
  }
}

/** One JSON error body for failures that happen before GraphQL runs (bad JSON, unknown route). */
function httpError(message: string, code: ErrorCode) {
  return { errors: [{ message, extensions: { code } }] };
}

export interface GatewayOptions {
  /**
   * Benchmark only: `false` serves the schema without its per-field authorization guards, to measure what
   * authorization costs over HTTP. No configuration or environment variable reaches this; `src/main.ts`
   * never passes it.
   */
  authorization?: boolean;
  /** Benchmark only, like `authorization`: `false` turns DataLoader batching off (one statement per key). */
  batching?: boolean;
}

export async function createGateway(services: GatewayServices, options: GatewayOptions = {}): Promise<Gateway> {
  const { config, log } = services;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const schema = buildGatewaySchema({ authorization: options.authorization !== false });
  const gate = createAdmissionGate(config.admission);
  const allowList = config.persistedOperations ? loadPersistedOperations(config.persistedOperations.file, config.persistedOperations.only) : null;
  services.metrics.watch({ inFlight: gate.inFlight });

  const apollo = new ApolloServer<GatewayContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    // "Did you mean ...?" in validation errors names fields as well as introspection would.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    // main.ts owns SIGTERM/SIGINT. Left on, Apollo stops itself on the signal too, and a second concurrent
    // stop() never resolves in Apollo Server 5 (its barrier is released only on failure): shutdown hung
    // until the force timer once a MariaDB pool kept the event loop alive.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
      // The gateway sets no cache hints (no @cacheControl): Apollo's default cache-control plugin only added a
      // hook to every field resolution, to end up answering `no-store`, which is said here once per response.
      ApolloServerPluginCacheControlDisabled(),
      { requestDidStart: async () => ({ willSendResponse: async ({ response }) => void response.http.headers.set('cache-control', 'no-store') }) },
      useRequestLogging(),
      useSourceFailureErrors(),
      useOperationLimits({ schema: () => schema, limits: config.limits }),
      useAccessAudit(),
      // Apollo's own landing page loads Apollo Sandbox from a CDN: blank offline. The explorer below replaces it.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  // Demographic changes waiting for a system that was down are retried in rounds (every replica may run them: rows are leased).
  services.changeDelivery.start();
  const checkpoints = startCheckpointWriter({
    latest: () => services.audit.latest(),
    ...config.auditCheckpoints,
    log,
    clock: services.clock,
  });

  app.use((req, res, next) => {
    const requestId = requestIdOf(req);
    const started = process.hrtime.bigint();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    // One line for every request GraphQL does not log itself: refused before GraphQL (401, 413, bad
    // JSON, too long), unknown routes, downloads. Successful health probes are left out as noise.
    res.on('finish', () => {
      if (res.locals.loggedByGraphql === true) return;
      if ((req.path === '/healthz' || req.path === '/readyz') && res.statusCode < 400) return;
      log.info(
        { requestId, method: req.method, path: req.path, status: res.statusCode, durationMs: Number(process.hrtime.bigint() - started) / 1e6 },
        'http request',
      );
    });
    next();
  });

  // Before every route: a refused preflight must not reach anything else.
  app.use(corsMiddleware(config.corsOrigins));
  if (config.explorer) explorerRoutes(app);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/metrics', async (req, res, next) => {
    // Off unless a token is configured: operation names, source health and pool usage are internals.
    const token = config.metricsToken;
    if (!token) return next();
    if (!hasMetricsToken(req.header('authorization'), token)) {
      res.status(401).set('www-authenticate', 'Bearer').json(httpError('GET /metrics needs the metrics bearer token', ErrorCode.UNAUTHENTICATED));
      return;
    }
    res.set('content-type', services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });

  app.get('/readyz', async (_req, res) => {
    const report = await checkReadiness(services);
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  });

  app.get('/documents/:documentId/content', documentDownloadRoute(services));
  app.get('/reports.csv', reportCsvRoute(services));

  app.use(
    '/graphql',
    (req, res, next) => {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const operation = typeof req.body?.operationName === 'string' ? req.body.operationName : 'anonymous';
        services.metrics.requestFinished(operation, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
      });
      next();
    },
    async (_req, res, next) => {
      // Admission before any work (even reading the body): a saturated gateway says so at once.
      let gone = false;
      res.once('close', () => (gone = true));
      const admitted = await gate.enter();
      if (admitted === 'overloaded') {
        services.metrics.requestRefused('overloaded');
        res.status(503).set('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS)).json(httpError(new OverloadedError().message, ErrorCode.OVERLOADED));
        return;
      }
      // A client that hung up while queued must not keep its slot for ever.
      if (gone) return admitted();
      res.once('close', admitted);
      next();
    },
    express.json({ limit: '256kb' }),
    persistedOperations(allowList),
    refuseLongQueries(config.limits.maxTokens),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<GatewayContext> => {
        const requestId = String(res.locals.requestId);
        const requestLog = log.child({ requestId });
        let principal;
        try {
          const token = bearerToken(req.header('authorization'));
          if (!token) throw new UnauthenticatedError();
          principal = await services.verifyToken(token);
        } catch (error) {
          if (error instanceof TokenRejected) {
            requestLog.info({ reason: error.message }, 'token rejected');
            throw new UnauthenticatedError(error.clientMessage);
          }
          throw error;
        }
        const leave = gate.enterCaller(principal.sub);
        if (leave === 'caller_limit') {
          services.metrics.requestRefused('caller_limit');
          throw new CallerLimitError(config.admission.maxPerCaller);
        }
        if (req.socket.destroyed) leave();
        else res.once('close', leave);
        const context = await createRequestContext(services, principal, req.header(PURPOSE_HEADER), requestId, requestLog, {
          batch: options.batching !== false,
        });
        // From here the request logging plugin writes this request's line.
        res.locals.loggedByGraphql = true;
        return context;
      },
    }),
  );

  app.use((_req, res) => {
    res.status(404).json(httpError('Not found: the gateway serves /graphql, /healthz, /readyz and signed document links', ErrorCode.BAD_REQUEST));
  });

  const handleHttpErrors: ErrorRequestHandler = (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed') {
      res.status(400).json(httpError('Malformed JSON in request body', ErrorCode.BAD_REQUEST));
    } else if (type === 'entity.too.large') {
      res.status(413).json(httpError('Request body is larger than 256 kB', ErrorCode.BAD_REQUEST));
    } else {
      log.error({ err: error, requestId: res.locals.requestId }, 'unhandled HTTP error');
      res.status(500).json(httpError('Internal error', ErrorCode.INTERNAL_SERVER_ERROR));
    }
  };
  app.use(handleHttpErrors);

  return {
    httpServer,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    async stop() {
      await services.changeDelivery.stop();
      await apollo.stop();
      // The last events before shutdown are anchored too.
      await checkpoints.stop();
      await Promise.allSettled([...Object.values(services.sources).map((source) => source.close()), services.store.close()]);
    },
  };
}
