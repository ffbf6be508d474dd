// page.mjs opens the browser suite's page in Debian's Chromium through
// playwright-core: every request goes to an origin that exists only inside
// the browser (ORIGIN), answered from files on disk, so no server, no port
// and no network are involved.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { outDirOf, root } from './lines.mjs';

export { root };
const ORIGIN = 'https://tickstream.test';
const CHROMIUM = '/usr/bin/chromium';
const modules = path.join(root, 'node_modules');
const fonts = path.join(modules, '@fontsource', 'inter', 'files');

/** Grafana serves Inter from public/fonts; the same font comes from @fontsource/inter here. */
const FONT_FILES = {
  'Inter-Regular.woff2': 'inter-latin-400-normal.woff2',
  'Inter-Medium.woff2': 'inter-latin-500-normal.woff2',
  'Inter-Italic.woff2': 'inter-latin-400-italic.woff2',
  'Inter-MediumItalic.woff2': 'inter-latin-500-italic.woff2',
};

const TYPES = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.json': 'application/json',
};

/**
 * fileFor maps a path of the page's origin to the file that answers it, or
 * undefined: the page script and Grafana's icons come from the line, the
 * plugin from distDir, SystemJS (Grafana's loader, not shared with plugins)
 * and the fonts from the project.
 */
function fileFor(urlPath, distDir, line) {
  const pageDir = outDirOf(line);
  const rel = decodeURIComponent(urlPath);
  const under = (prefix, dir) => (rel.startsWith(prefix) ? path.join(dir, rel.slice(prefix.length)) : undefined);
  if (rel === '/harness.html') {
    return path.join(root, 'tests', 'browser', 'harness.html');
  }
  if (rel.startsWith('/public/fonts/inter/')) {
    const name = FONT_FILES[path.basename(rel)];
    return name && path.join(fonts, name);
  }
  return (
    under('/plugin/', distDir) ??
    under('/systemjs/', path.join(modules, 'systemjs', 'dist')) ??
    under('/public/build/img/icons/', path.join(line.modules, '@grafana', 'ui', 'dist', 'public', 'img', 'icons')) ??
    (rel.lastIndexOf('/') === 0 ? path.join(pageDir, rel.slice(1)) : undefined)
  );
}

/**
 * openBrowser starts Chromium with a fresh profile and the flags that keep it
 * off the network, and returns a context whose pages see only ORIGIN.
 * unserved collects every request the page made that nothing answers; the
 * plugin's files (/plugin/) come from distDir, the page from the line's build.
 */
export async function openBrowser({ distDir, line }) {
  const served = { distDir };
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (scripts/browser-test.sh does when it can)`);
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), 'tickstream-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1100, height: 400 },
    deviceScaleFactor: 1,
  });
  const unserved = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const file = url.origin === ORIGIN ? fileFor(url.pathname, served.distDir, line) : undefined;
    if (!file || !existsSync(file)) {
      unserved.push(route.request().url());
      await route.fulfill({ status: 404, body: 'not served by the browser suite' });
      return;
    }
    await route.fulfill({
      status: 200,
      body: readFileSync(file),
      contentType: TYPES[path.extname(file)] ?? 'application/octet-stream',
    });
  });
  return {
    context,
    unserved,
    /** serveDist makes /plugin/ answer from another folder, for the pages opened next. */
    serveDist(dir) {
      served.distDir = dir;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * loadPlugin opens the page and waits until it has imported module.js; it
 * returns the page's verdict, "loaded" or "failed: <why>". errors collects
 * what the page threw; logged, every error and warning the page logged
 * (React's warnings among them: the page runs React's development build),
 * for as long as the page is open.
 */
export async function loadPlugin(context) {
  const page = await context.newPage();
  const errors = [];
  const logged = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      logged.push(`${message.type()}: ${message.text()}`);
    }
  });
  await page.goto(`${ORIGIN}/harness.html`);
  await page.waitForFunction(() => document.title !== 'loading', null, { timeout: 60_000 });
  return { page, verdict: await page.title(), errors, logged };
}
