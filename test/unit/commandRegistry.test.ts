import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyScore } from '../../renderer/src/commands/fuzzy.ts';
import { ariaShortcut, matchesShortcut, shortcutLabel } from '../../renderer/src/commands/keys.ts';
import { commandForKey, createCommandRegistry, duplicateShortcuts, type Command } from '../../renderer/src/commands/registry.ts';

const key = (k: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean; code?: string } = {}) => ({
  key: k,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
  ...(mods.code ? { code: mods.code } : {}),
});

const command = (id: string, shortcuts?: string[]): Command => ({
  id,
  title: id,
  group: 'Edit',
  ...(shortcuts ? { shortcuts } : {}),
  run: () => {},
});

describe('shortcuts', () => {
  it('matches Mod as Ctrl or Cmd, and Shift exactly for letters', () => {
    expect(matchesShortcut('Mod+Z', key('z', { ctrl: true }))).toBe(true);
    expect(matchesShortcut('Mod+Z', key('z', { meta: true }))).toBe(true);
    expect(matchesShortcut('Mod+Z', key('Z', { ctrl: true, shift: true }))).toBe(false);
    expect(matchesShortcut('Shift+Mod+Z', key('Z', { ctrl: true, shift: true }))).toBe(true);
    expect(matchesShortcut('Mod+Z', key('z'))).toBe(false);
  });

  it('takes "?" with or without Shift (it is typed with Shift), but not with Ctrl', () => {
    expect(matchesShortcut('?', key('?', { shift: true }))).toBe(true);
    expect(matchesShortcut('?', key('?'))).toBe(true);
    expect(matchesShortcut('?', key('?', { ctrl: true }))).toBe(false);
  });

  it('matches Alt+letter by the physical key, where a Mac types another character', () => {
    expect(matchesShortcut('Alt+N', key('˜', { alt: true, code: 'KeyN' }))).toBe(true);
    expect(matchesShortcut('Alt+N', key('n'))).toBe(false);
  });

  it('labels shortcuts for the platform and for aria-keyshortcuts', () => {
    expect(shortcutLabel('Shift+Mod+Z', false)).toBe('Ctrl+Shift+Z');
    expect(shortcutLabel('Shift+Mod+Z', true)).toBe('⌘⇧Z');
    expect(shortcutLabel('Mod+Enter', false)).toBe('Ctrl+Enter');
    expect(ariaShortcut('Mod+K', false)).toBe('Control+K');
    expect(ariaShortcut('Mod+K', true)).toBe('Meta+K');
  });
});

describe('the command registry', () => {
  it('replaces what a source registered, and removes it when that source leaves', () => {
    const registry = createCommandRegistry();
    let changes = 0;
    registry.subscribe(() => changes++);
    registry.register('app', [command('palette', ['Mod+K'])]);
    const leave = registry.register('editor', [command('undo', ['Mod+Z'])]);
    registry.register('editor', [command('undo', ['Mod+Z']), command('redo', ['Shift+Mod+Z'])]);
    expect(registry.list().map((c) => c.id)).toEqual(['palette', 'undo', 'redo']);
    // An old unregister does not remove the newer list.
    leave();
    expect(registry.list().map((c) => c.id)).toEqual(['palette', 'undo', 'redo']);
    expect(changes).toBe(3);
  });

  it('finds the command of a key press and reports a shortcut claimed twice', () => {
    const commands = [command('undo', ['Mod+Z']), command('redo', ['Shift+Mod+Z', 'Mod+Y']), command('other', ['Mod+Y'])];
    expect(commandForKey(commands, key('y', { ctrl: true }))?.id).toBe('redo');
    expect(commandForKey(commands, key('q', { ctrl: true }))).toBeUndefined();
    expect(duplicateShortcuts(commands)).toEqual(['Mod+Y: redo and other']);
  });
});

describe('the palette filter', () => {
  it('matches the characters in order, word starts first', () => {
    expect(fuzzyScore('rnal', 'Run all')).toBeDefined();
    expect(fuzzyScore('lar', 'Run all')).toBeUndefined();
    const titles = ['Reset runs…', 'Tick ×1', 'Run the selected product', 'Run all'];
    expect(fuzzyFilter(titles, 'run', (t) => [t])[0]).toBe('Run all');
  });

  it('prefers a match in the title to one in the keywords', () => {
    const items = [
      { title: 'Reset runs…', keywords: 'clear Run' },
      { title: 'Run all', keywords: 'execute mesh Run' },
    ];
    expect(fuzzyFilter(items, 'run', (i) => [i.title, i.keywords]).map((i) => i.title)[0]).toBe('Run all');
    expect(fuzzyFilter(items, '', (i) => [i.title]).map((i) => i.title)).toEqual(['Reset runs…', 'Run all']);
  });
});
