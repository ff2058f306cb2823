import {
  escapePointer,
  type JsonSchema,
  type OperationObject,
  type ParameterObject,
  resolveRef,
  spec,
} from '../../../src/openapi/document.js';

/**
 * The REST routes the gateway uses, read from the official OpenAPI document:
 * every operation tagged `integrations`, plus the two other operations the
 * gateway calls. Nothing here lists them by hand, so a route the document
 * gains is a route the spec-answers test must learn to reach.
 */

export const GATEWAY_TAG = 'integrations';
export const OTHER_OPERATIONS = ['installIntegrationOnSpace', 'getOrganizationById'] as const;

export interface Route {
  operationId: string;
  /** Upper case, as sent. */
  method: string;
  /** The document's path template, e.g. `/integrations/{integrationName}`. */
  path: string;
  /** JSON pointer to the operation object. */
  pointer: string;
  /** The success status the stub answers with. */
  status: number;
  /** JSON pointer to the schema of the success body; undefined for a bodiless success (204, 205). */
  bodyPointer: string | undefined;
  parameters: ParameterObject[];
  /** The request body schema, when the operation takes one. */
  requestBody: JsonSchema | undefined;
}

/**
 * The success status a stub answers with: the one with a JSON body if any;
 * otherwise the highest 2xx, which picks 205 ("deleted") over 204 for the
 * DELETEs that document both (GitBook answers 204 when there was nothing to
 * delete, which the gateway rightly turns into NOT_FOUND).
 */
function successStatus(operation: OperationObject): { status: number; hasBody: boolean } {
  const successes = Object.entries(operation.responses)
    .map(([status, response]) => ({ status: Number(status), response: resolveRef(response) }))
    .filter(({ status }) => status >= 200 && status < 300);
  const withBody = successes.filter(({ response }) => response.content?.['application/json'] !== undefined);
  if (withBody.length > 1) throw new Error(`${operation.operationId}: several success bodies`);
  if (withBody[0]) return { status: withBody[0].status, hasBody: true };
  const highest = Math.max(...successes.map(({ status }) => status));
  if (!Number.isFinite(highest)) throw new Error(`${operation.operationId}: no success response`);
  return { status: highest, hasBody: false };
}

function listRoutes(): Route[] {
  const routes: Route[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!operation?.operationId) continue;
      const tags = (operation as { tags?: string[] }).tags ?? [];
      if (!tags.includes(GATEWAY_TAG) && !(OTHER_OPERATIONS as readonly string[]).includes(operation.operationId))
        continue;
      const pointer = `#/paths/${escapePointer(path)}/${method}`;
      const { status, hasBody } = successStatus(operation);
      const requestBody = operation.requestBody && resolveRef(operation.requestBody);
      const bodySchema = (requestBody?.content?.['application/json'] as { schema?: JsonSchema } | undefined)?.schema;
      routes.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        pointer,
        status,
        bodyPointer: hasBody ? `${pointer}/responses/${status}/content/application~1json/schema` : undefined,
        parameters: (operation.parameters ?? []).map((parameter) => resolveRef<ParameterObject>(parameter)),
        requestBody: bodySchema,
      });
    }
  }
  return routes;
}

export const ROUTES: readonly Route[] = listRoutes();

export function routeById(operationId: string): Route {
  const route = ROUTES.find((candidate) => candidate.operationId === operationId);
  if (!route) throw new Error(`no route ${operationId} among the gateway's`);
  return route;
}
