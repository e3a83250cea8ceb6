import type { DataProduct } from '../model/types.ts';
import { checkFault, tableFaultsOf, type Fault } from './faults.ts';
import type { TableFault } from './quantumProtocol.ts';

/**
 * The faults in force on a running mesh (faults.ts): table faults and crashes waiting for
 * their product's run, and per product the tick its delayed sources come back. Kept apart
 * from the runtime, like PortHistory, so that it carries over to an edited mesh.
 */
export class InjectedFaults {
  #faults: Fault[];
  /** Product → the tick until which its sources are delayed. */
  readonly #delayedUntil: Map<string, number>;

  /** Faults carried from another mesh are kept only while checkFault still accepts them in `products`. */
  constructor(products: readonly DataProduct[], faults: readonly Fault[] = [], delayedUntil: Iterable<readonly [string, number]> = []) {
    this.#faults = faults.filter((fault) => stillApplies(fault, products));
    this.#delayedUntil = new Map(delayedUntil);
  }

  get list(): readonly Fault[] {
    return this.#faults;
  }

  /** Per product, the tick until which its sources are delayed. */
  get delays(): readonly (readonly [string, number])[] {
    return [...this.#delayedUntil];
  }

  /**
   * Adds a fault at `tick`, after checkFault (which throws a FaultError naming what is wrong
   * with it). `crashNow` stops a running quantum at once; a crash it stopped is not kept.
   */
  inject(fault: Fault, products: readonly DataProduct[], tick: number, crashNow: (product: string) => boolean): void {
    checkFault(fault, products);
    if (fault.kind === 'delaySource') {
      this.#delayedUntil.set(fault.product, tick + fault.ticks);
      return;
    }
    if (fault.kind === 'crash' && crashNow(fault.product)) return;
    this.#faults = [...this.#faults, fault];
  }

  /** Clears the faults of one product, or all of them. */
  clear(product?: string): void {
    this.#faults = product === undefined ? [] : this.#faults.filter((f) => f.product !== product);
    if (product === undefined) this.#delayedUntil.clear();
    else this.#delayedUntil.delete(product);
  }

  /** Why a product's sources are held back at `tick`, if they are; a delay that has run out is cleared. */
  delayed(product: string, tick: number): string | undefined {
    const until = this.#delayedUntil.get(product);
    if (until === undefined) return undefined;
    if (tick < until) return `its sources are delayed until tick ${until} (injected fault)`;
    this.#delayedUntil.delete(product);
    return undefined;
  }

  /** Whether a fault waits for this product's run. */
  aimsAt(product: string): boolean {
    return this.#faults.some((f) => f.product === product);
  }

  tableFaults(product: string): TableFault[] {
    return tableFaultsOf(this.#faults, product);
  }

  /** Takes the product's first crash fault, if there is one: a crash hits one run. */
  takeCrash(product: string): boolean {
    const index = this.#faults.findIndex((f) => f.kind === 'crash' && f.product === product);
    if (index < 0) return false;
    this.#faults = this.#faults.filter((_, i) => i !== index);
    return true;
  }
}

function stillApplies(fault: Fault, products: readonly DataProduct[]): boolean {
  try {
    checkFault(fault, products);
    return true;
  } catch {
    return false;
  }
}
