import { asText, type Fields } from '../../model/read.ts';
import { CONTRACT, emit, inV2, type DiffContext } from './diffContext.ts';

interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function parseVersion(text: string | undefined): SemVer | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(text?.trim() ?? '');
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2] ?? 0), patch: Number(match[3] ?? 0) };
}

function compareVersions(a: SemVer, b: SemVer): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * Semantic versioning of the contract: breaking changes need a new major version (while the
 * major is 0, a new minor one, as semver allows anything in 0.x but tools treat the minor as
 * the breaking digit); any change needs some new version.
 */
export function judgeVersion(ctx: DiffContext, a: Fields, b: Fields): void {
  const was = asText(a['version']);
  const is = asText(b['version']);
  const va = parseVersion(was);
  const vb = parseVersion(is);
  const where = inV2(ctx, ['version']);
  const subject = CONTRACT;
  if (va && vb && compareVersions(vb, va) < 0) {
    emit(ctx, 'version-decreased', subject, `version ${was ?? '?'} → ${is ?? '?'} went down`, where);
    return;
  }
  if (ctx.changes.length === 0) return;
  const breaking = ctx.changes.some((c) => c.severity === 'breaking');
  if (breaking) {
    const bumped = va && vb ? vb.major > va.major || (va.major === 0 && vb.major === 0 && vb.minor > va.minor) : was !== is;
    if (!bumped) {
      const next = va ? (va.major === 0 ? `0.${va.minor + 1}.0` : `${va.major + 1}.0.0`) : 'a new major version';
      emit(
        ctx,
        'version-not-bumped',
        subject,
        `breaking changes need a new major version: ${was ?? '?'} → ${is ?? '?'} (use ${next})`,
        where,
      );
      return;
    }
  }
  if (was === is) emit(ctx, 'version-unchanged', subject, `the contract changed but its version is still ${is ?? '?'}`, where);
}
