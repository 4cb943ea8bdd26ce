import { describe, expect, it } from 'vitest';
import { buildForm } from '../../src/app/schema-form/build.ts';
import { isoToLocal, localToIso } from '../../src/app/schema-form/datetime.ts';
import type { FormField } from '../../src/app/schema-form/form-field.ts';
import { chooseVariant, fitsForm, pruneEmpty, validateValue } from '../../src/app/schema-form/validate.ts';
import { initialValue } from '../../src/app/schema-form/values.ts';

const order = {
  type: 'object',
  $defs: { address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } }, required: ['street', 'city'] } },
  properties: {
    customer: { type: 'string', minLength: 1 },
    email: { type: 'string', format: 'email' },
    quantity: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
    size: { type: 'string', enum: ['small', 'medium', 'large'], default: 'medium' },
    gift: { type: 'boolean', default: false },
    address: { $ref: '#/$defs/address' },
    tags: { type: 'array', items: { type: 'string' } },
    delivery: {
      oneOf: [
        { type: 'object', properties: { method: { const: 'pickup' }, store: { type: 'string' } }, required: ['method', 'store'] },
        { type: 'object', properties: { method: { const: 'shipping' }, address: { type: 'string' } }, required: ['method', 'address'] },
      ],
    },
  },
  required: ['customer', 'email'],
};

function prop(root: FormField, key: string): FormField {
  return root.properties!.find((p) => p.key === key)!;
}

describe('a tool input schema as a form', () => {
  const { root, warnings } = buildForm(order);

  it('makes one field per property, of the right kind, with the schema rules', () => {
    expect(warnings).toEqual([]);
    expect(root.kind).toBe('object');
    expect(root.properties!.map((p) => [p.key, p.kind, p.required])).toEqual([
      ['customer', 'string', true],
      ['email', 'string', true],
      ['quantity', 'integer', false],
      ['size', 'enum', false],
      ['gift', 'boolean', false],
      ['address', 'object', false],
      ['tags', 'array', false],
      ['delivery', 'choice', false],
    ]);
    expect(prop(root, 'email').format).toBe('email');
    expect(prop(root, 'quantity')).toMatchObject({ minimum: 1, maximum: 10 });
    expect(prop(root, 'address').properties!.map((p) => p.required)).toEqual([true, true]);
    expect(prop(root, 'delivery').variants!.map((v) => v.label)).toEqual(['pickup', 'shipping']);
  });

  it('starts from the defaults', () => {
    expect(initialValue(root)).toEqual({ quantity: 1, size: 'medium', gift: false });
  });

  it('names what is missing or out of bounds, by path', () => {
    expect(validateValue(root, { quantity: 11 })).toEqual([
      { path: 'customer', message: 'is required' },
      { path: 'email', message: 'is required' },
      { path: 'quantity', message: 'must be at most 10' },
    ]);
    expect(validateValue(root, { customer: 'Ada', email: 'nope' })).toEqual([{ path: 'email', message: 'must be an email address' }]);
    expect(validateValue(root, { customer: 'Ada', email: 'a@b.c', address: { street: 'x' } })).toEqual([{ path: 'address.city', message: 'is required' }]);
    expect(validateValue(root, { customer: 'Ada', email: 'a@b.c', quantity: 1.5 })).toEqual([{ path: 'quantity', message: 'must be a whole number' }]);
    expect(validateValue(root, { customer: 'Ada', email: 'a@b.c', delivery: { method: 'shipping', address: 'Main St' } })).toEqual([]);
    expect(validateValue(root, { customer: 'Ada', email: 'a@b.c', delivery: { method: 'pickup' } })).toEqual([{ path: 'delivery.store', message: 'is required' }]);
  });

  it('leaves empty optional fields out of what is sent', () => {
    expect(pruneEmpty(root, { customer: 'Ada', email: 'a@b.c', tags: ['', 'x'], address: { street: '' }, gift: false })).toEqual({
      customer: 'Ada',
      email: 'a@b.c',
      tags: ['x'],
      gift: false,
    });
  });

  it('does not ask for the required fields of an optional object left empty, but does once it is started', () => {
    const person = { customer: 'Ada', email: 'a@b.c' };
    expect(validateValue(root, { ...person, address: { street: '' } })).toEqual([]);
    expect(validateValue(root, { ...person, address: { street: 'Main St' } })).toEqual([{ path: 'address.city', message: 'is required' }]);
  });

  it('sends a default only as long as it is kept', () => {
    const start = initialValue(root) as Record<string, unknown>;
    expect(pruneEmpty(root, { ...start, customer: 'Ada', email: 'a@b.c' })).toEqual({ customer: 'Ada', email: 'a@b.c', quantity: 1, size: 'medium', gift: false });
    const { quantity: _q, size: _s, ...cleared } = start;
    expect(pruneEmpty(root, { ...cleared, customer: 'Ada', email: 'a@b.c' })).toEqual({ customer: 'Ada', email: 'a@b.c', gift: false });
  });
});

describe('references and what cannot be a form', () => {
  it('never fetches a remote $ref: the field becomes JSON, with a warning', () => {
    const { root, warnings } = buildForm({ type: 'object', properties: { x: { $ref: 'https://example.com/schema.json' } } });
    expect(prop(root, 'x').kind).toBe('raw');
    expect(warnings[0]).toContain('https://example.com/schema.json');
  });

  it('stops following a recursive $ref', () => {
    const tree = { type: 'object', $defs: { node: { type: 'object', properties: { child: { $ref: '#/$defs/node' } } } }, properties: { root: { $ref: '#/$defs/node' } } };
    let field = prop(buildForm(tree).root, 'root');
    let depth = 0;
    while (field.kind === 'object') {
      field = prop(field, 'child');
      depth++;
    }
    expect(field.kind).toBe('raw');
    expect(depth).toBeLessThan(12);
  });

  it('merges allOf objects, reads nullable types, and turns untyped values into JSON', () => {
    const { root } = buildForm({
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        { type: 'object', properties: { b: { type: ['number', 'null'] }, c: {} } },
      ],
    });
    expect(root.properties!.map((p) => [p.key, p.kind, p.required, !!p.nullable])).toEqual([
      ['a', 'string', true, false],
      ['b', 'number', false, true],
      ['c', 'raw', false, false],
    ]);
    expect(validateValue(root, { a: 'x', b: null })).toEqual([]);
  });

  it('reads an anyOf with null as a nullable field', () => {
    const { root } = buildForm({ type: 'object', properties: { n: { anyOf: [{ type: 'integer' }, { type: 'null' }] } } });
    expect(prop(root, 'n')).toMatchObject({ kind: 'integer', nullable: true });
  });

  it('sends null for a required nullable field left empty, and nothing for an optional one', () => {
    const { root } = buildForm({
      type: 'object',
      properties: { note: { type: ['string', 'null'] }, until: { type: ['string', 'null'], format: 'date' } },
      required: ['note'],
    });
    expect(prop(root, 'note')).toMatchObject({ kind: 'string', nullable: true, required: true });
    expect(validateValue(root, { note: '' })).toEqual([]);
    expect(pruneEmpty(root, { note: '', until: '' })).toEqual({ note: null });
    expect(pruneEmpty(root, { note: 'x', until: '2026-01-02' })).toEqual({ note: 'x', until: '2026-01-02' });
  });

  it('guards a $ref cycle between definitions and a $ref to itself', () => {
    const { root, warnings } = buildForm({
      $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' }, self: { $ref: '#/$defs/self' } },
      type: 'object',
      properties: { loop: { $ref: '#/$defs/a' }, me: { $ref: '#/$defs/self' } },
    });
    expect(root.properties!.map((p) => p.kind)).toEqual(['raw', 'raw']);
    expect(warnings.join(' ')).toContain('recursive');
  });

  it('keeps a form for the rest when one $ref is remote, and warns once for it', () => {
    const { root, warnings } = buildForm({
      type: 'object',
      properties: { ok: { type: 'string' }, far: { $ref: 'https://example.com/defs.json#/$defs/x', description: 'Elsewhere' } },
    });
    expect(prop(root, 'ok').kind).toBe('string');
    expect(prop(root, 'far')).toMatchObject({ kind: 'raw', description: 'Elsewhere' });
    expect(prop(root, 'far').note).toContain('not fetched');
    expect(warnings).toEqual([expect.stringContaining('https://example.com/defs.json#/$defs/x')]);
  });

  it('merges an allOf that mixes $ref and inline parts, adding the required keys together', () => {
    const { root } = buildForm({
      type: 'object',
      $defs: { named: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
      properties: { who: { allOf: [{ $ref: '#/$defs/named' }, { properties: { age: { type: 'integer', minimum: 0 } }, required: ['age'] }] } },
    });
    expect(prop(root, 'who').properties!.map((p) => [p.key, p.kind, p.required])).toEqual([
      ['name', 'string', true],
      ['age', 'integer', true],
    ]);
    expect(buildForm({ allOf: [{ type: 'string' }, { type: 'integer' }] }).root.kind).toBe('raw');
  });
});

describe('MCP elicitation schemas', () => {
  const { root } = buildForm({
    type: 'object',
    properties: {
      name: { type: 'string', title: 'Name' },
      mood: { type: 'string', enum: ['happy', 'calm'], enumNames: ['Happy', 'Calm'], default: 'calm' },
      plan: { type: 'string', oneOf: [{ const: 'free', title: 'Free plan' }, { const: 'pro', title: 'Pro plan' }] },
      colours: { type: 'array', items: { anyOf: [{ const: 'r', title: 'Red' }, { const: 'g', title: 'Green' }] }, maxItems: 1, default: ['g'] },
      when: { type: 'string', format: 'date-time' },
      subscribe: { type: 'boolean', default: true },
    },
    required: ['name'],
  });

  it('labels by title, offers titled choices, and prefills every default (SEP-1034)', () => {
    expect(prop(root, 'name').label).toBe('Name');
    expect(prop(root, 'mood').options).toEqual([
      { value: 'happy', label: 'Happy' },
      { value: 'calm', label: 'Calm' },
    ]);
    expect(prop(root, 'plan').options!.map((o) => o.label)).toEqual(['Free plan', 'Pro plan']);
    expect(prop(root, 'colours').kind).toBe('multi-enum');
    expect(initialValue(root)).toEqual({ mood: 'calm', colours: ['g'], subscribe: true });
  });

  it('checks choices and list bounds', () => {
    expect(validateValue(root, { name: 'x', plan: 'gold', colours: ['r', 'g'] })).toEqual([
      { path: 'plan', message: 'must be one of the choices' },
      { path: 'colours', message: 'allows at most 1' },
    ]);
  });

  it('converts date-times between the input and ISO 8601', () => {
    const iso = localToIso('2026-11-23T08:30:15');
    expect(iso).toMatch(/^2026-11-2\dT\d\d:\d\d:15Z$/);
    expect(isoToLocal(iso)).toBe('2026-11-23T08:30:15');
    expect(localToIso('')).toBe('');
    expect(isoToLocal('not a date')).toBe('');
  });
});

describe('the restricted elicitation schema, every primitive', () => {
  const { root, warnings } = buildForm({
    type: 'object',
    properties: {
      email: { type: 'string', format: 'email', title: 'Email', minLength: 3, maxLength: 64, default: 'a@b.c' },
      site: { type: 'string', format: 'uri', default: 'https://example.com/' },
      born: { type: 'string', format: 'date', default: '2000-01-31' },
      meet: { type: 'string', format: 'date-time', default: '2026-03-04T05:06:07Z' },
      age: { type: 'integer', minimum: 0, maximum: 150, default: 30 },
      score: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
      ok: { type: 'boolean', default: false },
      size: { type: 'string', enum: ['s', 'm'], enumNames: ['Small', 'Medium'], default: 'm' },
      plan: { type: 'string', oneOf: [{ const: 'free', title: 'Free' }, { const: 'pro', title: 'Pro' }], default: 'pro' },
      langs: { type: 'array', title: 'Languages', items: { type: 'string', enum: ['en', 'fr', 'de'] }, minItems: 1, maxItems: 2, default: ['en'] },
      pets: { type: 'array', items: { anyOf: [{ const: 'cat', title: 'Cat' }, { const: 'dog', title: 'Dog' }] } },
    },
    required: ['email', 'langs'],
  });

  it('builds the right field for each, without warnings', () => {
    expect(warnings).toEqual([]);
    expect(root.properties!.map((p) => p.kind)).toEqual(['string', 'string', 'string', 'string', 'integer', 'number', 'boolean', 'enum', 'enum', 'multi-enum', 'multi-enum']);
    expect(root.properties!.slice(0, 4).map((p) => p.format)).toEqual(['email', 'uri', 'date', 'date-time']);
    expect(prop(root, 'email')).toMatchObject({ label: 'Email', minLength: 3, maxLength: 64, required: true });
    expect(prop(root, 'langs')).toMatchObject({ label: 'Languages', minItems: 1, maxItems: 2 });
    expect(prop(root, 'langs').options!.map((o) => o.label)).toEqual(['en', 'fr', 'de']);
    expect(prop(root, 'pets').options).toEqual([
      { value: 'cat', label: 'Cat' },
      { value: 'dog', label: 'Dog' },
    ]);
  });

  it('prefills every default, and the defaults pass and are sent', () => {
    const start = initialValue(root);
    expect(start).toEqual({
      email: 'a@b.c',
      site: 'https://example.com/',
      born: '2000-01-31',
      meet: '2026-03-04T05:06:07Z',
      age: 30,
      score: 0.5,
      ok: false,
      size: 'm',
      plan: 'pro',
      langs: ['en'],
    });
    expect(validateValue(root, start)).toEqual([]);
    expect(pruneEmpty(root, start)).toEqual(start);
    expect(fitsForm(root, start)).toBeUndefined();
  });

  it('checks formats, lengths, bounds and selections', () => {
    const bad = { email: 'x', site: 'not a url', born: '2000-13-01', meet: 'yesterday', age: 151, score: -1, size: 'l', plan: 'gold', langs: [], pets: ['fish'] };
    expect(validateValue(root, bad)).toEqual([
      { path: 'email', message: 'must be at least 3 characters' },
      { path: 'email', message: 'must be an email address' },
      { path: 'site', message: 'must be an absolute URI, such as https://example.com/' },
      { path: 'born', message: 'must be a date (YYYY-MM-DD)' },
      { path: 'meet', message: 'must be a date and time' },
      { path: 'age', message: 'must be at most 150' },
      { path: 'score', message: 'must be at least 0' },
      { path: 'size', message: 'must be one of the choices' },
      { path: 'plan', message: 'must be one of the choices' },
      { path: 'langs', message: 'needs at least 1' },
      { path: 'pets', message: 'must be one of the choices' },
    ]);
    expect(validateValue(root, { langs: ['en', 'fr', 'de'] })).toEqual([
      { path: 'email', message: 'is required' },
      { path: 'langs', message: 'allows at most 2' },
    ]);
  });

  it('leaves an optional multi-select with nothing chosen out', () => {
    expect(pruneEmpty(root, { email: 'a@b.c', langs: ['fr'], pets: [] })).toEqual({ email: 'a@b.c', langs: ['fr'] });
  });

  it('ignores enumNames of the wrong length', () => {
    const f = buildForm({ type: 'string', enum: ['a', 'b'], enumNames: ['Only one'] }).root;
    expect(f.options!.map((o) => o.label)).toEqual(['a', 'b']);
  });
});

describe('more schema features', () => {
  it('resolves JSON pointers with escapes, definitions and $anchor, with sibling keywords winning', () => {
    const { root, warnings } = buildForm({
      type: 'object',
      definitions: { 'a/b': { type: 'integer', minimum: 0 } },
      $defs: { named: { $anchor: 'nm', type: 'string', format: 'uri' } },
      properties: {
        n: { $ref: '#/definitions/a~1b', title: 'Count' },
        u: { $ref: '#nm' },
        missing: { $ref: '#/$defs/nope' },
      },
    });
    expect(prop(root, 'n')).toMatchObject({ kind: 'integer', label: 'Count', minimum: 0 });
    expect(prop(root, 'u')).toMatchObject({ kind: 'string', format: 'uri' });
    expect(prop(root, 'missing').kind).toBe('raw');
    expect(warnings).toHaveLength(1);
    expect(validateValue(root, { u: 'not a uri' })[0]).toMatchObject({ path: 'u' });
    expect(validateValue(root, { u: 'https://example.com/x' })).toEqual([]);
  });

  it('lets a schema with several types choose by type, and picks the variant a value fits', () => {
    const { root } = buildForm({ type: 'object', properties: { v: { type: ['string', 'integer'] } } });
    const v = prop(root, 'v');
    expect(v.kind).toBe('choice');
    expect(v.variants!.map((x) => x.label)).toEqual(['text', 'integer']);
    expect(chooseVariant(v, 3)).toBe(1);
    expect(chooseVariant(v, 'x')).toBe(0);
    expect(validateValue(root, { v: 2.5 }).map((e) => e.path)).toEqual(['v']);
    expect(validateValue(root, { v: 2 })).toEqual([]);
  });

  it('labels anyOf variants by title, const tag, else type, and starts a required choice on its first variant', () => {
    const { root } = buildForm({
      type: 'object',
      properties: {
        target: {
          anyOf: [
            { title: 'By id', type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
            { type: 'object', properties: { kind: { const: 'name' }, name: { type: 'string' } } },
            { type: 'string' },
          ],
        },
      },
      required: ['target'],
    });
    const t = prop(root, 'target');
    expect(t.variants!.map((x) => x.label)).toEqual(['By id', 'name', 'text']);
    expect(initialValue(root)).toEqual({ target: {} });
    expect(chooseVariant(t, { kind: 'name', name: 'x' })).toBe(1);
    expect(chooseVariant(t, 'free text')).toBe(2);
    expect(initialValue(t.variants![1]!.field)).toEqual({ kind: 'name' });
    expect(validateValue(root, { target: { kind: 'name', name: 'Ada' } })).toEqual([]);
    expect(validateValue(root, { target: 5 })).toEqual([{ path: 'target', message: 'must be an object' }]);
  });

  it('turns what a form cannot hold into JSON fields', () => {
    const { root } = buildForm({
      type: 'object',
      properties: {
        map: { type: 'object', additionalProperties: { type: 'string' } },
        tuple: { type: 'array', prefixItems: [{ type: 'string' }] },
        anything: {},
        list: { type: 'array' },
      },
    });
    expect(root.properties!.map((p) => p.kind)).toEqual(['raw', 'raw', 'raw', 'raw']);
    expect(validateValue(root, { map: 'x' })).toEqual([{ path: 'map', message: 'must be of type object' }]);
  });

  it('renders an object without properties as no arguments, and a non-object schema as one field', () => {
    expect(buildForm({ type: 'object' }).root).toMatchObject({ kind: 'object', properties: [] });
    expect(initialValue(buildForm({ type: 'object' }).root)).toEqual({});
    expect(buildForm(true).root.kind).toBe('raw');
    expect(buildForm({ type: 'string', enum: ['a', 'b'] }).root.kind).toBe('enum');
  });

  it('checks string, number and list rules', () => {
    const { root } = buildForm({
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^[A-Z]{3}$', maxLength: 3 },
        day: { type: 'string', format: 'date' },
        at: { type: 'string', format: 'time' },
        price: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.01 },
        ids: { type: 'array', items: { type: 'integer' }, minItems: 1, uniqueItems: true },
      },
      required: ['ids'],
    });
    expect(validateValue(root, { code: 'abcd', day: '2026-02-30', at: '25', price: 0, ids: [] }).map((e) => e.path)).toEqual([
      'code',
      'code',
      'day',
      'at',
      'price',
      'ids',
    ]);
    expect(validateValue(root, { code: 'ABC', day: '2026-02-28', at: '09:30', price: 1.23, ids: [1, 2] })).toEqual([]);
    expect(validateValue(root, { ids: [1, 1] })).toEqual([{ path: 'ids', message: 'must not repeat an item' }]);
    expect(validateValue(root, { ids: [1, 'x'] })).toEqual([{ path: 'ids.1', message: 'must be a number' }]);
  });

  it('keeps keys the form does not know, and drops optional lists left empty', () => {
    const { root } = buildForm({ type: 'object', properties: { a: { type: 'array', items: { type: 'string' } }, b: { type: 'string' } } });
    expect(pruneEmpty(root, { a: [], b: '', extra: 1 })).toEqual({ extra: 1 });
  });

  it('tells whether a JSON value fits the form', () => {
    const { root } = buildForm({
      type: 'object',
      properties: { size: { enum: ['s', 'm'] }, n: { type: 'integer' }, when: { type: 'string', format: 'date-time' } },
    });
    expect(fitsForm(root, { size: 's', n: 1, when: '2026-01-02T03:04:05Z' })).toBeUndefined();
    expect(fitsForm(root, { size: 'xl' })).toContain('size');
    expect(fitsForm(root, { n: 1.5 })).toContain('n');
    expect(fitsForm(root, { when: 'soon' })).toContain('when');
    expect(fitsForm(root, [])).toBeDefined();
  });

  it('round-trips a UTC date-time through the local input', () => {
    expect(localToIso(isoToLocal('2026-05-06T07:08:09Z'))).toBe('2026-05-06T07:08:09Z');
    expect(localToIso(isoToLocal('2026-05-06T09:08:09+02:00'))).toBe('2026-05-06T07:08:09Z');
    expect(localToIso('2026-05-06T07:08')).toMatch(/:00Z$/);
    expect(localToIso('2026-05-06T07:08:09.250')).toMatch(/:09\.250Z$/);
    expect(isoToLocal('2026-05-06')).toBe('');
  });

  it('converts date-times in the time zone of the browser', () => {
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'America/New_York';
      expect(localToIso('2026-01-15T10:00:00')).toBe('2026-01-15T15:00:00Z');
      expect(isoToLocal('2026-07-15T15:00:00Z')).toBe('2026-07-15T11:00:00');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('keeps a JSON value with a key the form has no field for in JSON', () => {
    const { root } = buildForm({ type: 'object', properties: { a: { type: 'string' } } });
    expect(fitsForm(root, { a: 'x', b: 1 })).toContain('b');
    expect(fitsForm(root, { a: 'x' })).toBeUndefined();
  });
});
