/** One API Lambda: Powertools (logger, tracer, metrics) around the shared dispatcher, limited to its routes. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { ApiDeps } from '../../src/api/ports.ts';
import { type Route, handleApiEvent } from '../../src/api/router.ts';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';

export function createApiHandler(routes: readonly Route[], deps: () => ApiDeps) {
  return lambdaHandler(async (event: APIGatewayProxyEvent, _context: Context): Promise<APIGatewayProxyResult> => {
    return handleApiEvent(event, deps(), {
      routes,
      onError: (error, request) =>
        logger.error('unhandled error in API route', { ...request, error: error instanceof Error ? error : String(error) }),
    });
  });
}
