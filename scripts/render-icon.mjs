#!/usr/bin/env node
// Renders media/icon.png (128x128, the extension's icon in the Extensions view and the
// marketplace; vsce refuses SVG icons) from media/directory-records.svg, the activity bar
// glyph: white strokes on a rounded blue square. Uses Debian's Chromium through
// playwright-core. Run again after changing the SVG: node scripts/render-icon.mjs
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, REPO_ROOT } from './lib/paths.mjs';
import { CHROMIUM_ARGS } from './lib/proc.mjs';

const SIZE = 128;
const svg = fs.readFileSync(path.join(REPO_ROOT, 'media', 'directory-records.svg'), 'utf8');
const out = path.join(REPO_ROOT, 'media', 'icon.png');

const html = `<!doctype html><html><head><style>
  html, body { margin: 0; background: transparent; }
  .tile { width: ${SIZE}px; height: ${SIZE}px; border-radius: 24px; color: #fff;
          background: linear-gradient(135deg, #2f80c9, #1b4f8a);
          display: flex; align-items: center; justify-content: center; }
  .tile svg { width: 92px; height: 92px; }
</style></head><body><div class="tile">${svg}</div></body></html>`;

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(html);
  await page.locator('.tile').screenshot({ path: out, omitBackground: true });
  console.log(`wrote ${path.relative(REPO_ROOT, out)} (${SIZE}x${SIZE})`);
} finally {
  await browser.close();
}
