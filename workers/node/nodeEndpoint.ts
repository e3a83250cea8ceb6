import type { Endpoint } from 'comlink';
import type { MessagePort, Worker } from 'node:worker_threads';

/**
 * Comlink speaks the DOM's MessagePort (addEventListener, `event.data`); worker_threads
 * speaks EventEmitter (on, the message itself). This adapts one to the other.
 */
export function nodeEndpoint(port: MessagePort | Worker): Endpoint {
  const listeners = new WeakMap<EventListenerOrEventListenerObject, (data: unknown) => void>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) => port.postMessage(message, transfer as never),
    addEventListener: (_type: string, listener: EventListenerOrEventListenerObject) => {
      const wrapped = (data: unknown): void => {
        const event = { data } as MessageEvent;
        if (typeof listener === 'function') listener(event);
        else listener.handleEvent(event);
      };
      listeners.set(listener, wrapped);
      port.on('message', wrapped);
    },
    removeEventListener: (_type: string, listener: EventListenerOrEventListenerObject) => {
      const wrapped = listeners.get(listener);
      if (!wrapped) return;
      port.off('message', wrapped);
      listeners.delete(listener);
    },
  };
}
