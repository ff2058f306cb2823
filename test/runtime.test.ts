import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * One Node everywhere: the tests run on the Node the project pins (its `node`
 * devDependency, which npm scripts put first on PATH), `engines` names it,
 * and the Docker image is built and run on the same major.
 */

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const pinned = (pkg.devDependencies.node ?? '').replace(/^[^0-9]*/, '');
const parts = (version: string) =>
  version
    .replace(/^[^0-9]*/, '')
    .split('.')
    .map(Number);
const major = (version: string) => parts(version)[0];
/** a ≥ b, comparing major, minor and patch as numbers. */
function atLeast(a: string, b: string): boolean {
  const [x, y] = [parts(a), parts(b)];
  for (let index = 0; index < 3; index += 1) {
    if ((x[index] ?? 0) !== (y[index] ?? 0)) return (x[index] ?? 0) > (y[index] ?? 0);
  }
  return true;
}

describe('the Node the project runs on', () => {
  it(`is the pinned Node ${pinned}, here in the tests too`, () => {
    expect(major(process.versions.node)).toBe(major(pinned));
    expect(atLeast(process.versions.node, pinned)).toBe(true);
  });

  it('is what `engines` asks for', () => {
    expect(pkg.engines.node).toBe(`>=${pinned}`);
  });

  it('is the base of every stage of the Dockerfile', () => {
    const images = [...readFileSync(new URL('Dockerfile', root), 'utf8').matchAll(/^FROM\s+(\S+)/gm)].map(
      (match) => match[1],
    );
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toBe(`node:${major(pinned)}-bookworm-slim`);
  });
});
