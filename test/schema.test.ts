import { readFileSync } from 'node:fs';
import { getNamedType, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.js';
import { printedSchema } from '../src/schema/print.js';

describe('schema/schema.graphql', () => {
  it('is the printed Pothos schema (run `npm run schema` after changing the schema)', () => {
    const committed = readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printedSchema());
  });
});

describe('the schema documents itself', () => {
  const types = Object.values(schema.getTypeMap()).filter((type) => !type.name.startsWith('__'));

  it('describes every type', () => {
    const undescribed = types
      .filter((type) => !(isScalarType(type) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)))
      .filter((type) => !type.description?.trim())
      .map((type) => type.name);
    expect(undescribed).toEqual([]);
  });

  it('describes every field and argument', () => {
    const undescribed: string[] = [];
    for (const type of types) {
      if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (!field.description?.trim()) undescribed.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (!arg.description?.trim()) undescribed.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    expect(undescribed).toEqual([]);
  });
});

describe('the contract', () => {
  it('offers first/after but never last/before on connections', () => {
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (!getNamedType(field.type).name.endsWith('Connection')) continue;
        const args = field.args.map((arg) => arg.name);
        expect(args, `${type.name}.${field.name}`).toEqual(expect.arrayContaining(['first', 'after']));
        expect(args, `${type.name}.${field.name}`).not.toContain('last');
        expect(args, `${type.name}.${field.name}`).not.toContain('before');
      }
    }
  });

  it('maps REST enums to ALL_CAPS values and back', () => {
    const scope = schema.getType('IntegrationScope');
    const category = schema.getType('IntegrationCategory');
    if (!isEnumType(scope) || !isEnumType(category)) throw new Error('missing enums');
    expect(scope.getValue('SPACE_CONTENT_READ')?.value).toBe('space:content:read');
    expect(category.getValue('VISITOR_AUTH')?.value).toBe('visitor-auth');
    expect(scope.serialize('site:script:inject')).toBe('SITE_SCRIPT_INJECT');
  });
});
