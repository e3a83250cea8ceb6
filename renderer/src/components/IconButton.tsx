import type { ButtonHTMLAttributes } from 'react';
import { ariaShortcut, shortcutLabel, type Shortcut } from '../commands/keys.ts';
import { Icon, type IconName } from './icons.tsx';

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children' | 'title' | 'aria-label'> & {
  readonly icon: IconName;
  /** The accessible name, and the tooltip's first words. */
  readonly label: string;
  /** More words for the tooltip (why it is disabled, what it will undo). */
  readonly hint?: string | undefined;
  readonly shortcut?: Shortcut | undefined;
  /** Shown beside the icon: for the buttons whose words matter (Run all). */
  readonly text?: string | undefined;
};

/** A toolbar button: an icon, a tooltip with the name and shortcut, and that name for screen readers. */
export function IconButton({ icon, label, hint, shortcut, text, className, ...rest }: Props) {
  const tip = [hint && hint !== label ? `${label}: ${hint}` : label, shortcut && `(${shortcutLabel(shortcut)})`].filter(Boolean).join(' ');
  return (
    <button
      type="button"
      {...rest}
      className={`icon-button${text ? ' with-text' : ''}${className ? ` ${className}` : ''}`}
      aria-label={text ? undefined : label}
      title={tip}
      {...(shortcut ? { 'aria-keyshortcuts': ariaShortcut(shortcut) } : {})}
    >
      <Icon name={icon} />
      {text && <span>{text}</span>}
    </button>
  );
}
