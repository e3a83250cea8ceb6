// Worker-thread entry: registers tsx in this thread (loader hooks are per thread), then
// loads the TypeScript worker. Lets `npx quanta` and the tests run the sources directly.
import { register } from 'tsx/esm/api';

register();
await import('./quantum.worker.ts');
