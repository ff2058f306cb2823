import { badUserInput } from '../errors.js';
import { type IdentifierKind, isIdentifier } from './identifiers.js';

/**
 * Global IDs are opaque to clients but carry everything a refetch needs: an
 * installation's holds its integration's name too, since REST needs both.
 * Form: base64url(`<Type>:<part>/<part>...`), each part percent-encoded.
 */

/**
 * Longer than any ID of this API (three identifiers at their longest,
 * percent-encoded, in base64): refused before it is decoded.
 */
const MAX_GLOBAL_ID_LENGTH = 4_096;

export function nodeKey(...parts: readonly string[]): string {
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

/**
 * The type and key of a global ID, each part of the key checked as the
 * argument it stands for would be. `kindsOf` names, for a type, the REST
 * identifiers its key holds; an unknown type is an invalid ID.
 */
export function decodeGlobalId(
  globalId: string,
  kindsOf: (typename: string) => readonly IdentifierKind[] | undefined,
): { typename: string; id: string } {
  if (globalId.length > MAX_GLOBAL_ID_LENGTH) throw invalid(globalId);
  // Node's base64url decoder ignores junk; re-encoding catches it.
  const raw = Buffer.from(globalId, 'base64url').toString('utf8');
  if (globalId === '' || Buffer.from(raw, 'utf8').toString('base64url') !== globalId.replace(/=+$/, '')) {
    throw invalid(globalId);
  }
  const separator = raw.indexOf(':');
  const typename = raw.slice(0, separator);
  const key = raw.slice(separator + 1);
  const kinds = separator < 0 ? undefined : kindsOf(typename);
  if (!kinds) throw invalid(globalId);
  let parts: string[];
  try {
    parts = keyParts(key);
  } catch {
    throw invalid(globalId);
  }
  if (parts.length !== kinds.length || !kinds.every((kind, index) => isIdentifier(kind, parts[index] ?? ''))) {
    throw invalid(globalId);
  }
  return { typename, id: key };
}
