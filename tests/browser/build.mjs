// Bundles the browser-test host (harness/host.tsx) with the @grafana packages the plugin builds against.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '.build');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, 'harness', 'host.tsx')],
  bundle: true,
  outfile: join(out, 'host.js'),
  format: 'iife',
  platform: 'browser',
  target: 'chrome120',
  minify: true,
  sourcemap: false,
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
  loader: { '.svg': 'text', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.png': 'empty' },
  logLevel: 'warning',
});
copyFileSync(join(here, 'harness', 'index.html'), join(out, 'index.html'));
console.log(`host bundled in ${out}`);
