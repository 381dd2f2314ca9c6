// The app's own folder is its root (the repository around it has a lockfile of its own).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
export default { turbopack: { root }, outputFileTracingRoot: root };
