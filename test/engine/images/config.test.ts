import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { marshalImageConfig, parseImageConfig } from '../../../src/engine/images/config.js';
import { goJsonString, goTime } from '../../../src/engine/images/gojson.js';

const here = new URL('./fixtures/', import.meta.url);

describe('image config bytes match Docker 20.10', () => {
  it.each(['built-config.json', 'committed-config.json', 'imported-config.json'])('%s round-trips byte for byte', (name) => {
    const bytes = readFileSync(new URL(name, here));
    const again = marshalImageConfig(parseImageConfig(bytes));
    expect(again.toString('utf8')).toBe(bytes.toString('utf8'));
    expect(createHash('sha256').update(again).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});

describe('Go encoding', () => {
  it('escapes like encoding/json', () => {
    expect(goJsonString('a && b <c>')).toBe('"a \\u0026\\u0026 b \\u003cc\\u003e"');
    expect(goJsonString('\b\f\u0001\n\t\r"\\')).toBe('"\\u0008\\u000c\\u0001\\n\\t\\r\\"\\\\"');
    expect(goJsonString('é\u2028')).toBe('"é\\u2028"');
    expect(goJsonString('\ud800x')).toBe('"\\ufffdx"');
  });
  it('trims time fractions', () => {
    expect(goTime('2026-11-22T08:42:20.034605940Z')).toBe('2026-11-22T08:42:20.03460594Z');
    expect(goTime('2026-11-22T08:42:20.000Z')).toBe('2026-11-22T08:42:20Z');
  });
});
