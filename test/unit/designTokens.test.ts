import { readFileSync, readdirSync } from 'node:fs';
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.ts';

/*
 * The design tokens of renderer/src/styles/base.css: every text/background pair its header
 * declares (`contrast: --text on --bg --surface …`) reaches WCAG's 4.5:1 in the light theme
 * (:root) and in the dark one ([data-theme='dark']), and the other CSS files use the tokens
 * instead of colours of their own.
 */
const STYLES = nodePath.join(REPO, 'renderer', 'src', 'styles');
const BASE = readFileSync(nodePath.join(STYLES, 'base.css'), 'utf8');

function block(selector: string): Map<string, string> {
  const start = BASE.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`base.css has no ${selector} block`);
  const body = BASE.slice(start, BASE.indexOf('}', start));
  return new Map([...body.matchAll(/(--[a-z0-9-]+):\s*([^;]+);/g)].map((m) => [m[1] as string, (m[2] as string).trim()]));
}

const LIGHT = block(':root');
const DARK = new Map([...LIGHT, ...block("[data-theme='dark']")]);

function pairs(): { text: string; background: string }[] {
  return [...BASE.matchAll(/contrast: (--[a-z0-9-]+) on ((?:--[a-z0-9-]+ ?)+)/g)].flatMap((m) =>
    (m[2] as string)
      .trim()
      .split(/\s+/)
      .map((background) => ({ text: m[1] as string, background })),
  );
}

function rgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = parseInt(m[1] as string, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** WCAG 2.x relative luminance. */
function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('design tokens', () => {
  it('computes WCAG contrast the standard way (black on white is 21:1)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeGreaterThan(4.5);
  });

  it('declares text/background pairs to check', () => {
    expect(pairs().length).toBeGreaterThan(20);
  });

  for (const [theme, tokens] of [
    ['light', LIGHT],
    ['dark', DARK],
  ] as const) {
    it(`gives every declared text/background pair at least 4.5:1 in the ${theme} theme`, () => {
      const low = pairs()
        .map(({ text, background }) => {
          const fg = tokens.get(text);
          const bg = tokens.get(background);
          if (fg === undefined || bg === undefined) return `${text} on ${background}: not defined`;
          const ratio = contrast(fg, bg);
          return ratio < 4.5 ? `${text} (${fg}) on ${background} (${bg}): ${ratio.toFixed(2)}:1` : undefined;
        })
        .filter((line) => line !== undefined);
      expect(low).toEqual([]);
    });
  }

  it('redefines in the dark theme every colour the light theme defines', () => {
    const dark = block("[data-theme='dark']");
    const colours = [...LIGHT].filter(([, value]) => /^(#|rgb)/.test(value)).map(([name]) => name);
    expect(colours.filter((name) => !dark.has(name))).toEqual([]);
  });

  it('keeps colours out of every other stylesheet: they use the tokens', () => {
    const found = readdirSync(STYLES)
      .filter((file) => file.endsWith('.css') && file !== 'base.css')
      .flatMap((file) =>
        readFileSync(nodePath.join(STYLES, file), 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `${file}:${i + 1}`, line: line.replace(/\/\*.*?\*\//g, '') }))
          .filter(({ line }) => /#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(|:\s*(white|black)\s*[;!]/i.test(line))
          .map(({ where, line }) => `${where}: ${line.trim()}`),
      );
    expect(found).toEqual([]);
  });
});
