import { badUserInput } from '../errors.js';
import { type IdentifierKind, isIdentifier } from './identifiers.js';

/**
 * Global IDs are opaque to clients but carry everything a refetch needs: an
 * installation's holds its integration's name too, since REST needs both.
 * Form: base64url(`<Type>:<part>/<part>...`), each part percent-encoded.
 */

/** The REST identifiers each node type's key holds, in REST path order; each is checked as an argument would be. */
const keyShape: Record<string, IdentifierKind[]> = {
  Integration: ['integrationName'],
  Organization: ['entityId'],
  Installation: ['integrationName', 'id'],
  IntegrationEvent: ['integrationName', 'id'],
  SpaceInstallation: ['integrationName', 'id', 'entityId'],
  SiteInstallation: ['integrationName', 'id', 'id'],
};

/**
 * Longer than any ID of this API (three identifiers at their longest,
 * percent-encoded, in base64): refused before it is decoded.
 */
const MAX_GLOBAL_ID_LENGTH = 4_096;

export function nodeKey(...parts: string[]): string {
  return parts.map(encodeURIComponent).join('/');
}

export function keyParts(key: string): string[] {
  return key.split('/').map(decodeURIComponent);
}

export function encodeGlobalId(typename: string, key: string | number | bigint): string {
  return Buffer.from(`${typename}:${key}`, 'utf8').toString('base64url');
}

function invalid(globalId: string): Error {
  const shown = globalId.length > 64 ? `${globalId.slice(0, 64)}…` : globalId;
  return badUserInput(`"${shown}" is not a valid ID of this API.`);
}

export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  if (globalId.length > MAX_GLOBAL_ID_LENGTH) throw invalid(globalId);
  // Node's base64url decoder ignores junk; re-encoding catches it.
  const raw = Buffer.from(globalId, 'base64url').toString('utf8');
  if (globalId === '' || encodeGlobalIdRaw(raw) !== globalId.replace(/=+$/, '')) throw invalid(globalId);
  const separator = raw.indexOf(':');
  const typename = raw.slice(0, separator);
  const key = raw.slice(separator + 1);
  const shape = keyShape[typename];
  if (separator < 0 || shape === undefined) throw invalid(globalId);
  let parts: string[];
  try {
    parts = keyParts(key);
  } catch {
    throw invalid(globalId);
  }
  if (parts.length !== shape.length || !shape.every((kind, index) => isIdentifier(kind, parts[index] ?? ''))) {
    throw invalid(globalId);
  }
  return { typename, id: key };
}

function encodeGlobalIdRaw(raw: string): string {
  return Buffer.from(raw, 'utf8').toString('base64url');
}
