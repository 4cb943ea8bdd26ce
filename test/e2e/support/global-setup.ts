import { existsSync } from 'node:fs';

export default function globalSetup(): void {
  if (!existsSync('dist/sw.js') || !existsSync('dist/index.html')) {
    throw new Error('dist/ has no built app: run `npm run build` first (npm test does).');
  }
}
