import { operationParameter } from './spec.js';

/** The REST maximum of `limit`, and so of a connection's `first`. */
export const MAX_PAGE_SIZE = operationParameter('listIntegrations', 'limit').schema.maximum ?? 1000;

/** `first` when a query does not say. */
export const DEFAULT_PAGE_SIZE = 20;
