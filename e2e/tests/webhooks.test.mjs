// Webhooks end to end, with a receiver that verifies every message with the
// Standard Webhooks library for Python (not Stint's code):
// - in a browser, on the demo, at both widths: BrightLeaf's owner adds an
//   endpoint, gives its secret to the receiver, sends a test event, and a
//   student's application arrives verified and shows as delivered in the log
//   (axe, screenshots, nothing scrolls sideways);
// - two `stint serve` processes on one PostgreSQL database: every event is
//   delivered exactly once, whichever process it happened on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, startReceiver, launch, checkA11y, shot, signedIn, noSidewaysScroll, freePort, root, token, call } from './harness.mjs';

const PITCH = 'I coded 300 open survey answers for my thesis in Sheets and summarised them for my department.';
const ALLOW = { STINT_WEBHOOKS_ALLOW_PRIVATE: 'true' };

let server;
let browser;
let receiver;

before(async () => {
  receiver = await startReceiver();
  server = await startServer({ env: ALLOW });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  receiver?.stop();
});

function isoDate(daysFromNow) {
  const d = new Date(Date.now() + daysFromNow * 86_400_000);
  return d.toISOString().slice(0, 10);
}



/** A published project of BrightLeaf's, for students to apply to. */
async function project(base, boss, title) {
  const p = await call(base, boss, 'POST', '/api/v1/projects', {
    title,
    summary: 'Code open survey answers against our codebook and count the themes for the product team.',
    brief: 'We have 400 open answers from a customer survey. Code them with our codebook and count each theme.',
    deliverables: '- The coded answers in a spreadsheet\n- A one-page summary of the themes',
    acceptance_criteria: '- Every answer has a code',
    category: 'data-analysis', required_skills: ['spreadsheets'], preferred_skills: [],
    estimated_hours: 10, start_date: isoDate(12), due_date: isoDate(26), price_minor: 600000, currency: 'INR',
    work_mode: 'remote', slots: 1, application_deadline: isoDate(5), decision_by: isoDate(8),
  });
  await call(base, boss, 'POST', `/api/v1/projects/${p.id}/publish`);
  return p.id;
}

const STUDENT = { 1280: 'grace.liu@mail.example', 390: 'd.kim@northbridge.example.ac.uk' };

for (const width of [1280, 390]) {
  test(`an owner adds an endpoint and events arrive verified, at ${width} px`, async () => {
    const path = `/brightleaf-${width}`;
    const page = await signedIn(browser, server.base, 'priya@brightleaf.example', { width });
    await page.goto(`${server.base}/employer`);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Webhooks' }).filter({ visible: true }).click()]);
    assert.match(await page.locator('h1').innerText(), /Webhooks/);
    await checkA11y(page, `webhooks list at ${width}`);
    await page.getByLabel('Endpoint URL').fill(receiver.url(path));
    await page.getByLabel('Description (optional)').fill(`Applicant tracker (${width})`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add endpoint' }).click()]);
    const secret = (await page.locator('code.secret').innerText()).trim();
    assert.match(secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
    await receiver.setSecret(secret);
    await checkA11y(page, `new endpoint at ${width}`);
    await noSidewaysScroll(page, `new endpoint at ${width}`);
    await shot(page, `webhook-created-${width}`);

    // The test button: delivered, and the receiver's library verified it.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send a test event' }).click()]);
    assert.match(page.url(), /notice=webhook_test_delivered/);
    const main = await page.locator('main').innerText();
    assert.match(main, /webhook\.test/);
    assert.match(main, /HTTP 204/);
    await checkA11y(page, `message at ${width}`);
    await noSidewaysScroll(page, `message at ${width}`);
    await shot(page, `webhook-message-${width}`);

    // A real event: a student applies.
    const boss = await token(server.base, 'priya@brightleaf.example');
    const id = await project(server.base, boss, `Code open survey answers for the tracker (${width})`);
    const student = await token(server.base, STUDENT[width]);
    await call(server.base, student, 'POST', `/api/v1/projects/${id}/applications`, { pitch: PITCH });
    const log = await receiver.until((l) => l.some((m) => m.path === path && m.type === 'application.submitted'));
    const mine = log.filter((m) => m.path === path);
    assert.deepEqual(mine.map((m) => m.type), ['webhook.test', 'application.submitted']);
    assert.ok(mine.every((m) => m.verified), JSON.stringify(mine));

    await page.getByRole('link', { name: /←/ }).click();
    await page.waitForLoadState();
    await page.locator('text=Delivery log').waitFor();
    const row = page.locator('tr', { hasText: 'application.submitted' });
    assert.match(await row.innerText(), /Delivered/);
    await checkA11y(page, `endpoint at ${width}`);
    await noSidewaysScroll(page, `endpoint at ${width}`);
    await shot(page, `webhook-endpoint-${width}`);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '← Webhooks' }).click()]);
    assert.match(await page.locator('main').innerText(), new RegExp(`Applicant tracker \\(${width}\\)`));
    await checkA11y(page, `webhooks list with endpoints at ${width}`);
    await noSidewaysScroll(page, `webhooks list at ${width}`);
    await shot(page, `webhooks-${width}`);
    await page.context().close();
  });
}

test('two stint serve processes on one PostgreSQL deliver each event once', async (t) => {
  const db = `stint_e2e_hooks_${process.pid}`;
  const psql = (sql) => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', sql, 'postgres'], { stdio: 'ignore' });
  try {
    psql(`CREATE DATABASE ${db}`);
  } catch {
    if (process.env.STINT_REQUIRE_PG) throw new Error('PostgreSQL is required but unreachable');
    t.skip('PostgreSQL is not reachable on 127.0.0.1:5432');
    return;
  }
  const bin = process.env.STINT_BIN || join(root, 'target', 'debug', 'stint');
  const dataDir = mkdtempSync(join(tmpdir(), 'stint-e2e-hooks-'));
  const env = {
    ...process.env, ...ALLOW, STINT_LOG: 'warn', STINT_AUTH_RATE_PER_MINUTE: '1000',
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
  };
  const procs = [];
  const hooks = await startReceiver();
  try {
    execFileSync(bin, ['--data-dir', dataDir, 'demo'], { env, stdio: 'ignore' });
    const bases = [];
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      // One data directory: the processes share the secrets key, as the
      // README asks of several instances.
      const proc = spawn(bin, ['--data-dir', dataDir, 'serve', '--addr', `127.0.0.1:${port}`], { env, stdio: 'ignore' });
      procs.push(proc);
      const base = `http://127.0.0.1:${port}`;
      for (let n = 0; n < 300; n++) {
        try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* starting */ }
        await new Promise((r) => setTimeout(r, 200));
      }
      bases.push(base);
    }
    const [a, b] = bases;
    const boss = await token(a, 'priya@brightleaf.example');
    const created = await call(a, boss, 'POST', '/api/v1/webhooks', { url: hooks.url('/once'), events: ['application.submitted'] });
    await hooks.setSecret(created.secret);
    const id = await project(b, boss, 'Code open survey answers, twelve applicants');
    const N = 12;
    for (let i = 0; i < N; i++) {
      const base = i % 2 ? b : a;
      const email = `applicant${i}.${process.pid}@mail.example`;
      const r = await fetch(`${base}/api/v1/auth/register`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'a long test password', name: `Applicant ${i}`, role: 'student' }),
      });
      assert.equal(r.status, 201, await r.text());
      const tok = await token(base, email, 'a long test password');
      await call(base, tok, 'POST', `/api/v1/projects/${id}/applications`, { pitch: PITCH });
    }
    await hooks.until((l) => l.length >= N);
    // Both runners make at least one more pass; nothing is sent twice.
    await new Promise((r) => setTimeout(r, 12_000));
    const log = await hooks.log();
    assert.equal(log.length, N, JSON.stringify(log));
    assert.equal(new Set(log.map((m) => m.id)).size, N, 'one delivery per message');
    assert.ok(log.every((m) => m.verified && m.type === 'application.submitted'), JSON.stringify(log));
    const msgs = await call(b, boss, 'GET', `/api/v1/webhooks/${created.endpoint.id}/messages`);
    assert.equal(msgs.items.length, N);
    assert.ok(msgs.items.every((m) => m.status === 'delivered' && m.attempts === 1 && m.last_status_code === 204), JSON.stringify(msgs.items));
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : null)));
    hooks.stop();
    rmSync(dataDir, { recursive: true, force: true });
    try { psql(`DROP DATABASE ${db}`); } catch { /* already gone */ }
  }
});
