// Two `stint serve` processes on one PostgreSQL database, each with its own
// search index, as several instances behind a load balancer run:
// - a project published on one is found by a search on the other within a
//   second, and once closed on one it is never shown by the other;
// - a student's instant alert for that project comes once, though both
//   processes run the job queue;
// - a person signed in on one is signed in on the other, and signing out on
//   one signs them out of both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, signedIn, freePort, root, token, call } from './harness.mjs';

const BOSS = 'priya@brightleaf.example';
const STUDENT = 'grace.liu@mail.example';
const db = `stint_e2e_cluster_${process.pid}`;
const psql = (sql) => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', sql, 'postgres'], { stdio: 'ignore' });

let browser;
let dataDir;
let reachable = true;
const procs = [];
const bases = [];

before(async () => {
  try {
    psql(`CREATE DATABASE ${db}`);
  } catch {
    if (process.env.STINT_REQUIRE_PG) throw new Error('PostgreSQL is required but unreachable');
    reachable = false;
    return;
  }
  const bin = process.env.STINT_BIN || join(root, 'target', 'debug', 'stint');
  dataDir = mkdtempSync(join(tmpdir(), 'stint-e2e-cluster-'));
  const env = {
    ...process.env, STINT_LOG: 'warn', STINT_AUTH_RATE_PER_MINUTE: '1000',
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
  };
  execFileSync(bin, ['--data-dir', dataDir, 'demo'], { env, stdio: 'ignore' });
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    // One data directory for the shared keys; an index directory each.
    const proc = spawn(bin, ['--data-dir', dataDir, 'serve', '--addr', `127.0.0.1:${port}`], {
      env: { ...env, STINT_SEARCH_INDEX_DIR: join(dataDir, `index-${i}`) },
      stdio: 'ignore',
    });
    procs.push(proc);
    const base = `http://127.0.0.1:${port}`;
    let up = false;
    for (let n = 0; n < 300 && !up; n++) {
      try { up = (await fetch(`${base}/healthz`)).ok; } catch { /* starting */ }
      if (!up) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(up, `stint serve ${i} did not start`);
    bases.push(base);
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const p of procs) p.kill('SIGTERM');
  await Promise.all(procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : null)));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (reachable) {
    try { psql(`DROP DATABASE ${db}`); } catch { /* already gone */ }
  }
});



function isoDate(daysFromNow) {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

async function found(base, word) {
  const r = await call(base, null, 'GET', `/api/v1/projects?q=${word}`);
  return r.items.map((p) => p.id);
}

test('a publish on one process is found, alerted once and closed everywhere', async (t) => {
  if (!reachable) { t.skip('PostgreSQL is not reachable on 127.0.0.1:5432'); return; }
  const [a, b] = bases;
  const word = `quokkaline${process.pid}`;
  const boss = await token(a, BOSS);
  const student = await token(b, STUDENT);
  const saved = await call(b, student, 'POST', '/api/v1/me/searches', { q: word, frequency: 'instant' });
  assert.equal(saved.frequency, 'instant');
  assert.deepEqual(await found(a, word), []);
  assert.deepEqual(await found(b, word), []);

  const title = `Tag ${word} survey answers for the product team`;
  const p = await call(a, boss, 'POST', '/api/v1/projects', {
    title,
    summary: 'Code open survey answers against our codebook and count the themes for the product team.',
    brief: 'We have 400 open answers from a customer survey. Code them with our codebook and count each theme.',
    deliverables: '- The coded answers in a spreadsheet\n- A one-page summary of the themes',
    acceptance_criteria: '- Every answer has a code',
    category: 'data-analysis', required_skills: ['spreadsheets'], preferred_skills: [],
    estimated_hours: 10, start_date: isoDate(12), due_date: isoDate(26), price_minor: 600000, currency: 'INR',
    work_mode: 'remote', slots: 1, application_deadline: isoDate(5), decision_by: isoDate(8),
  });
  await call(a, boss, 'POST', `/api/v1/projects/${p.id}/publish`);
  const published = Date.now();
  // The publishing process answers from its own index at once.
  assert.deepEqual(await found(a, word), [p.id]);
  // The other hears of it through the change feed.
  let elsewhere = [];
  while (Date.now() - published < 5_000) {
    elsewhere = await found(b, word);
    if (elsewhere.length) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const lag = Date.now() - published;
  assert.deepEqual(elsewhere, [p.id]);
  assert.ok(lag < 1_000, `found on the other process after ${lag} ms`);
  const page = await fetch(`${b}/projects?q=${word}`);
  assert.ok((await page.text()).includes(title), 'the search page on the other process lists it');

  // Both job runners pass at least once more; the alert comes once.
  await new Promise((r) => setTimeout(r, 12_000));
  const list = await call(b, student, 'GET', '/api/v1/me/notifications');
  const alerts = list.items.filter((n) => n.title.includes(title));
  assert.equal(alerts.length, 1, JSON.stringify(list.items.slice(0, 5)));
  assert.equal(alerts[0].link, `/projects/${p.id}`);

  // Closed on one: the other never shows it again, even before its index
  // hears of the change.
  await call(b, boss, 'POST', `/api/v1/projects/${p.id}/close`);
  assert.deepEqual(await found(a, word), []);
  assert.deepEqual(await found(b, word), []);
});

/** Whether `cookie` opens the account page on `base`. */
async function signedInWith(base, cookie) {
  const r = await fetch(`${base}/account`, { headers: { cookie }, redirect: 'manual' });
  const text = await r.text();
  return r.status === 200 && text.includes('Sign out');
}

test('signed in on one process is signed in on the other', async (t) => {
  if (!reachable) { t.skip('PostgreSQL is not reachable on 127.0.0.1:5432'); return; }
  const [a, b] = bases;
  const page = await signedIn(browser, a, BOSS);
  // Cookies belong to the host, not the port: the browser sends the
  // session to both, as it would to two instances behind one name.
  const session = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  assert.ok(session, 'a session cookie');
  assert.equal(await signedInWith(a, session), true);
  assert.equal(await signedInWith(b, session), true);
  await page.goto(`${b}/account`);
  assert.equal(new URL(page.url()).pathname, '/account');
  const body = await page.textContent('body');
  assert.ok(body.includes('Priya'), body.slice(0, 400));
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 1);
  await Promise.all([
    page.waitForURL((u) => u.searchParams.has('notice')),
    page.getByRole('button', { name: 'Sign out' }).click(),
  ]);
  assert.equal(new URL(page.url()).searchParams.get('notice'), 'signed_out');
  // The session is gone from the database, so the other process refuses
  // the old cookie too (sent by hand: the browser has dropped it).
  assert.equal(await signedInWith(a, session), false, 'signed out everywhere');
  await page.goto(`${a}/account`);
  assert.ok(new URL(page.url()).pathname.startsWith('/login'), page.url());
  await page.context().close();
});
