import type { ContractViewProps } from '../contractViewProps.ts';

/** The contract's quality rules as a form (issue 14 item 3). */
export function QualityRulesForm(props: ContractViewProps) {
  return <p className="inspector-empty">Quality rules of {props.port.name}: edit them in the YAML view for now.</p>;
}
