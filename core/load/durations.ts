import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { asFields, asString } from '../model/read.ts';
import { parseDuration } from '../run/simTime.ts';
import { locate, type YamlSourceFile } from '../yaml/sourceFile.ts';

/**
 * The most each duration knob of quanta.yaml may say, in seconds. `simulation.timeout`
 * becomes a real timer: JavaScript timers hold at most 2^31 - 1 ms (24.8 days) and fire at
 * once beyond that, so a "longer" timeout would mean no time at all. `latency` is capped the
 * same way; `schedule.every` is simulated time (ticks), capped at ten years.
 */
export const DURATION_LIMITS = {
  'simulation.timeout': 24 * 86_400,
  'simulation.latency': 24 * 86_400,
  'schedule.every': 3650 * 86_400,
} as const;

export function checkDurations(file: YamlSourceFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  const raw = asFields(file.value);
  for (const [knob, limit] of Object.entries(DURATION_LIMITS)) {
    const [section = '', field = ''] = knob.split('.');
    const text = asString(asFields(raw[section])[field]);
    const seconds = parseDuration(text);
    if (seconds === undefined) continue; // not a duration: the schema check reports it
    if (seconds > limit || (knob !== 'simulation.latency' && seconds <= 0)) {
      const range = seconds <= 0 ? 'must be longer than 0' : `may be at most ${limit / 86_400}d`;
      out.push(diagnostic('QUANTA_E058', locate(file, [section, field]), `${knob} is ${text}, but it ${range}`));
    }
  }
  return out;
}
