/**
 * The API as one middy handler over ports (results store, run starter, clock, logger): Lambda
 * builds it with S3 and Step Functions, `loadprint serve` with a folder and a child process, and
 * both run this same code.
 *
 * Error policy: ApiErrors become their JSON error response; anything else is logged in full and
 * answered with a generic 500 by @middy/http-error-handler (`expose` false), so internal messages
 * never reach a client. Nothing is rethrown: an API call is not retried by Lambda.
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpRouterHandler from '@middy/http-router';
import type { MiddlewareObj } from '@middy/core';
import { errorMessage } from '../errors';
import { isSafeRequestPath } from './ids';
import { ApiError, errorResponse, INTERNAL_ERROR_BODY, type ApiGatewayEvent, type ApiGatewayResult } from './http';
import { UnsafeKeyError } from './store-key';
import { createRoutes, routePattern, type ApiDeps, type ApiLogger, type ApiRoute } from './routes';

export type { ApiDeps, ApiLogger, ApiRoute } from './routes';

export interface ApiHandlerOptions {
  /** middy aborts this long before the Lambda deadline; 0 in tests and locally (no deadline). @default 5 */
  readonly timeoutEarlyInMillis?: number;
}

/** Refuses paths no route can name before routing, so traversal attempts never reach the store. */
function rejectUnsafePaths(): MiddlewareObj<ApiGatewayEvent, ApiGatewayResult> {
  return {
    before: (request) => {
      const { path, pathParameters } = request.event;
      const paramsSafe = Object.values(pathParameters ?? {}).every(
        (v) => v === undefined || isSafeRequestPath(`/${v}`),
      );
      if (typeof path !== 'string' || !isSafeRequestPath(path) || !paramsSafe) {
        throw new ApiError(400, 'invalid_path', 'The path contains characters or segments that no resource of this API has.');
      }
    },
  };
}

/** Turns ApiErrors into their JSON response and logs each answered request. */
function apiResponses(logger: ApiLogger): MiddlewareObj<ApiGatewayEvent, ApiGatewayResult> {
  const fields = (event: ApiGatewayEvent, statusCode: number) => ({
    method: event.httpMethod,
    path: String(event.path).slice(0, 300),
    statusCode,
    requestId: event.requestContext?.requestId,
  });
  return {
    after: (request) => {
      logger.info('api.request', fields(request.event, request.response?.statusCode ?? 0));
    },
    onError: (request) => {
      let error = request.error;
      if (error instanceof UnsafeKeyError) {
        // A symlink or key that leads out of the results root: say nothing about what is there.
        logger.warn('api.unsafe_key', { ...fields(request.event, 404) });
        error = new ApiError(404, 'not_found', 'No such resource.');
      }
      if (!(error instanceof ApiError)) return; // left to httpErrorHandler: generic 500
      request.response = errorResponse(error);
      logger.info('api.request', { ...fields(request.event, error.statusCode), code: error.code });
    },
  };
}

/** Route misses: 405 with `Allow` when the path exists under another method, else 404. */
function notFound(routes: readonly ApiRoute[]) {
  return ({ method, path }: { method: string; path: string }): never => {
    const allowed = routes.filter((r) => routePattern(r.path).test(path)).map((r) => r.method);
    if (allowed.length > 0) {
      throw new ApiError(405, 'method_not_allowed', `${method} is not supported here; use ${allowed.join(' or ')}.`, {
        Allow: allowed.join(', '),
      });
    }
    throw new ApiError(404, 'route_not_found', `No resource at ${path.slice(0, 200)}; see /openapi.json.`);
  };
}

/** The routes served, as method + path template (for the OpenAPI check and route listings). */
export function servedRoutes(deps: ApiDeps): { method: string; path: string }[] {
  return createRoutes(deps).map(({ method, path }) => ({ method, path }));
}

export function createApiHandler(deps: ApiDeps, options: ApiHandlerOptions = {}) {
  const routes = createRoutes(deps);
  const router = httpRouterHandler({
    // The router's own types come from @types/aws-lambda, which is not installed; our event is the same shape.
    routes: routes.map((r) => ({ method: r.method, path: r.path, handler: r.handler as never })),
    notFoundResponse: notFound(routes),
  });
  return middy<ApiGatewayEvent, ApiGatewayResult>(router as never, {
    timeoutEarlyInMillis: options.timeoutEarlyInMillis ?? 5,
  })
    .use(
      httpErrorHandler({
        logger: (e: unknown) =>
          deps.logger.error('api.unhandled_error', { error: e instanceof Error ? e : new Error(errorMessage(e)) }),
        fallbackMessage: INTERNAL_ERROR_BODY,
      }),
    )
    .use(apiResponses(deps.logger))
    .use(rejectUnsafePaths());
}

export type ApiHandler = ReturnType<typeof createApiHandler>;
