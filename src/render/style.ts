// Colour for human output, switched on or off by the caller (--color, NO_COLOR, TTY) — renderers
// stay pure and testable: the same input and the same switch give the same text.

import { styleText } from 'node:util';
import type { HopStatus, Level, Verdict } from '../analyze/model.js';

type Format = Parameters<typeof styleText>[0];

export interface Style {
  paint: (format: Format, text: string) => string;
}

export function makeStyle(color: boolean): Style {
  return { paint: (format, text) => (color ? styleText(format, text, { validateStream: false }) : text) };
}

export const statusFormat: Record<HopStatus, Format> = { ok: 'green', warn: 'yellow', fail: 'red', skip: 'gray' };
export const levelFormat: Record<Level, Format> = { error: 'red', warning: 'yellow', info: 'cyan' };
export const verdictFormat: Record<Verdict, Format> = { ok: 'green', degraded: 'yellow', broken: 'red' };
export const statusIcon: Record<HopStatus, string> = { ok: '✔', warn: '⚠', fail: '✖', skip: '○' };

// kubectl's way of shortening a long list: the first items and `+ N more`.
export function firstOf(items: string[], max: number): string[] {
  return items.length <= max ? items : [...items.slice(0, max), `+ ${items.length - max} more`];
}
