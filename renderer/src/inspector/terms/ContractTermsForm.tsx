import type { ContractViewProps } from '../contractViewProps.ts';

/** The contract's SLA properties, roles and the port's visibility as forms (issue 14 item 3). */
export function ContractTermsForm(props: ContractViewProps) {
  return <p className="inspector-empty">SLA and access of {props.port.name}: edit them in the YAML view for now.</p>;
}
