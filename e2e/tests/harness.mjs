// Axe is injected into pages, so contexts that run it pass bypassCSP (our
// CSP allows only our own scripts).
// Starts the real stint binary on a free port with a fresh data directory and
// demo data, and launches Debian's Chromium through playwright-core.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
export const shots = join(here, '..', 'screenshots');
mkdirSync(shots, { recursive: true });

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Starts stint with the demo data. By default in demo mode (sandbox
 * payments); with `{ provider: 'manual' }` the demo data is loaded first
 * and the server runs as an operator would, with money moved by hand.
 */
export async function startServer({ provider, env: extra } = {}) {
  const bin = process.env.STINT_BIN || join(root, 'target', 'debug', 'stint');
  const dataDir = mkdtempSync(join(tmpdir(), 'stint-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, STINT_LOG: 'warn', STINT_AUTH_RATE_PER_MINUTE: '1000', ...extra };
  let args = ['--data-dir', dataDir, 'serve', '--demo', '--addr', `127.0.0.1:${port}`];
  if (provider) {
    execFileSync(bin, ['--data-dir', dataDir, 'demo'], { env, stdio: 'ignore' });
    args = ['--data-dir', dataDir, 'serve', '--addr', `127.0.0.1:${port}`];
    env.STINT_PAYMENT_PROVIDER = provider;
  }
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`stint exited early:\n${output}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    output: () => output,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  const executablePath = process.env.CHROMIUM || execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

/** Fails on serious or critical accessibility violations (WCAG 2.2 AA rules,
 * so touch targets of at least 24 px are checked too). */
export async function checkA11y(page, label) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const detail = bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`).join('\n');
    throw new Error(`${label}: accessibility violations\n${detail}`);
  }
}

/** A new browser context signed in as `email` (a demo account) at `width`. */
export async function signedIn(browser, base, email, { width = 1280, height = 900, password = 'stint-demo-2026' } = {}) {
  const ctx = await browser.newContext({ viewport: { width, height }, bypassCSP: true, acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

export async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Fails when the page is wider than the window: nothing may scroll sideways. */
export async function noSidewaysScroll(page, what) {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `${what} scrolls sideways (${scroll} > ${inner})`);
}

/**
 * The webhook receiver of `e2e/webhook_receiver.py`, which verifies each
 * message with the Standard Webhooks library for Python (installed into a
 * virtual environment under target/ on first use). `setSecret` gives it the
 * endpoint's secret; `log()` is what it received.
 */
export async function startReceiver() {
  const venv = join(root, 'target', 'webhooks-venv');
  const python = join(venv, 'bin', 'python');
  try {
    execFileSync(python, ['-c', 'import standardwebhooks'], { stdio: 'ignore' });
  } catch {
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(join(venv, 'bin', 'pip'), ['install', '-q', 'standardwebhooks==1.1.0'], { stdio: 'inherit' });
  }
  const port = await freePort();
  const proc = spawn(python, [join(root, 'e2e', 'webhook_receiver.py'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    proc.stdout.once('data', resolve);
    proc.once('exit', (code) => reject(new Error(`webhook receiver exited with ${code}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    url: (path) => `${base}${path}`,
    async setSecret(secret) {
      const r = await fetch(`${base}/secret`, { method: 'POST', body: secret });
      assert.equal(r.status, 204);
    },
    async log() {
      return (await fetch(`${base}/log`)).json();
    },
    /** Waits until `pred(log)` holds (up to `ms`), and returns the log. */
    async until(pred, ms = 20_000) {
      const end = Date.now() + ms;
      for (;;) {
        const log = await this.log();
        if (pred(log) || Date.now() > end) return log;
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    stop() { proc.kill('SIGTERM'); },
  };
}

/** An API token for `email` (a demo account unless `password` is given). */
export async function token(base, email, password = 'stint-demo-2026') {
  const r = await fetch(`${base}/api/v1/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(r.status, 201, await r.clone().text());
  return (await r.json()).token;
}

/** One API call that must succeed; its JSON answer. `tok` may be null. */
export async function call(base, tok, method, path, body) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { ...(tok ? { authorization: `Bearer ${tok}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
