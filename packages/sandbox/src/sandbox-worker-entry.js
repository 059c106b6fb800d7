// Entry of a sandbox worker thread, in plain JS because Node 20 cannot load .ts in a worker by itself
// (and a worker's --import of tsx does not reach its module loader): register tsx here, then load
// the worker's TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./sandbox-worker.ts');
