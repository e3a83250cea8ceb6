import type { Domain } from '../../../core/model/types.ts';

/** The domain a new product goes into (New product, Import data). */
export function DomainSelect({
  domains,
  value,
  onChange,
}: {
  readonly domains: readonly Domain[];
  readonly value: string;
  readonly onChange: (domain: string) => void;
}) {
  return (
    <label>
      Domain
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {domains.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} ({d.id})
          </option>
        ))}
      </select>
    </label>
  );
}
