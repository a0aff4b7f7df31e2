// LTI 1.3 launches from a real platform library: lti1p3platform (PyPI)
// runs on loopback as the university's learning platform
// (e2e/lti_platform.py), with Stint registered in it as a tool. The demo
// university's career staff register the platform on Stint and test it;
// then people launch Stint from a course: the supervisor lands on the
// course's credit requests, a student on their request, a new student gets
// an account and the form for the course, and an instructor Stint does not
// know is told whom to ask. At 1280 and 390 px, with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launch, checkA11y, shot, signedIn, noSidewaysScroll, freePort, root } from './harness.mjs';

let server;
let browser;
let platform;
let platformBase;

before(async () => {
  server = await startServer({ env: { STINT_SSO_ALLOW_PRIVATE: 'true' } });
  browser = await launch();
});

/** Starts the platform, with Stint registered in it at the university's login URL. */
async function startPlatform(loginUrl) {
  const python = execFileSync('bash', [join(root, 'e2e', 'lti-platform.sh')], { cwd: root, encoding: 'utf8' }).trim();
  const port = await freePort();
  platformBase = `http://127.0.0.1:${port}`;
  platform = spawn(python, [join(root, 'e2e', 'lti_platform.py'), String(port), server.base, loginUrl],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the platform did not start:\n${out}`)), 30_000);
    const seen = (d) => {
      out += d;
      if (out.includes('READY')) { clearTimeout(timer); resolve(); }
    };
    platform.stdout.on('data', seen);
    platform.stderr.on('data', seen);
    platform.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the platform exited (${code}):\n${out}`)); });
  });
}

after(async () => {
  await browser?.close();
  platform?.kill();
  await server?.stop();
});

async function submit(page, button) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
}

/** Opens Stint from the course in the platform, as `who`, in a fresh browser. */
async function fromCourse(who, { width = 1280 } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const q = new URLSearchParams({ course: 'ECO 495', title: 'Industry Project in Economics', ...who });
  await page.goto(`${platformBase}/launch?${q}`);
  // The platform's page posts to Stint, whose page posts on by itself to
  // /lti/launch/finish, which sends the person on (or says what is wrong).
  await page.waitForURL((u) => u.href.startsWith(server.base) && u.pathname !== '/lti/launch');
  return page;
}

test('career staff register the platform; people land from a course where they work', async () => {
  const page = await signedIn(browser, server.base, 'careers@dit.example.ac.in');
  await page.goto(`${server.base}/university/team`);
  await page.getByRole('link', { name: /Open Stint from courses/ }).click();
  assert.match(await page.locator('h1').innerText(), /Learning platforms of/);
  const loginUrl = await page.locator('code', { hasText: '/lti/login/' }).innerText();
  assert.match(loginUrl, new RegExp(`^${server.base}/lti/login/\\d+$`));
  await startPlatform(loginUrl);
  const jwks = await (await fetch(`${server.base}/lti/jwks`)).json();
  assert.equal(jwks.keys[0].kty, 'RSA');

  // A deployment left out: the field says so; nothing is saved.
  await page.getByLabel('Name').fill('Moodle');
  await page.getByLabel('Issuer').fill(platformBase);
  await page.getByLabel('Client id').fill('stint-e2e');
  await page.getByLabel('Authentication request URL').fill(`${platformBase}/auth`);
  await page.getByLabel('Public keyset URL').fill(`${platformBase}/jwks`);
  await submit(page, 'Register platform');
  assert.match(await page.locator('#deployment_ids-error').innerText(), /deployment id/);
  await checkA11y(page, 'platform form with an error');
  await page.getByLabel('Deployment ids').fill('dep-e2e');
  await submit(page, 'Register platform');
  assert.ok(await page.getByText('Platform saved.').isVisible(), await page.locator('main').innerText());
  await submit(page, 'Test Moodle');
  assert.ok(await page.getByText('Test passed.').isVisible(), await page.locator('main').innerText());
  await noSidewaysScroll(page, 'learning platforms at 1280 px');
  await checkA11y(page, 'learning platforms');
  await shot(page, '1280-learning-platforms');
  await page.setViewportSize({ width: 390, height: 900 });
  await noSidewaysScroll(page, 'learning platforms at 390 px');
  await shot(page, '390-learning-platforms');
  await page.context().close();

  // The supervisor: the course's credit requests, Asha's among them.
  const prof = await fromCourse({ email: 'arvind.rao@dit.example.ac.in', name: 'Arvind Rao', role: 'Instructor' });
  assert.equal(new URL(prof.url()).pathname, '/university/credit');
  assert.match(await prof.locator('main').innerText(), /Course ECO 495 only/);
  assert.ok(await prof.getByRole('row', { name: /Asha Rao/ }).isVisible());
  await checkA11y(prof, 'credit requests of a course');
  await shot(prof, '1280-lti-faculty');
  await prof.context().close();

  // Asha: her request for the course.
  const asha = await fromCourse({ email: 'asha.rao@dit.example.ac.in', name: 'Asha Rao', role: 'Learner' }, { width: 390 });
  assert.match(new URL(asha.url()).pathname, /^\/credit\/\d+$/);
  assert.match(await asha.locator('main').innerText(), /ECO 495/);
  await noSidewaysScroll(asha, 'a credit request at 390 px');
  await asha.context().close();

  // A new student: an account of the university, and the form for the course.
  const meera = await fromCourse({ email: 'meera.nair@dit.example.ac.in', name: 'Meera Nair', role: 'Learner' }, { width: 390 });
  assert.equal(new URL(meera.url()).pathname, '/me/credit');
  assert.match(await meera.locator('main').innerText(), /You came from your course ECO 495/);
  await checkA11y(meera, 'a new student from a course');
  await noSidewaysScroll(meera, 'credit from a course at 390 px');
  await shot(meera, '390-lti-new-student');
  await meera.goto(`${server.base}/me/university`);
  assert.match(await meera.locator('main').innerText(), /Confirmed/);
  await meera.context().close();

  // An instructor Stint does not know: told whom to ask, not signed in.
  const stranger = await fromCourse({ email: 'new.lecturer@dit.example.ac.in', name: 'New Lecturer', role: 'Instructor' }, { width: 390 });
  assert.match(await stranger.locator('main').innerText(), /has not added you to Stint yet/);
  await checkA11y(stranger, 'a refused launch');
  await noSidewaysScroll(stranger, 'a refused launch at 390 px');
  await shot(stranger, '390-lti-refused');
  await stranger.context().close();
});
