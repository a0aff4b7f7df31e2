// Single sign-on with a real SAML 2.0 identity provider: pysaml2 (PyPI),
// signing with xmlsec1, runs on loopback (e2e/saml_idp.py). The demo
// university's career staff give it Stint's metadata address, paste its
// metadata into the settings page and test; a new student then signs in
// through it. An assertion signed with the legacy RSA-SHA1 is refused
// with what is wrong; one signed with RSA-SHA256 signs the student in,
// made and affiliated with proof. Stint's own pages run under its content
// security policy here. At 1280 and 390 px, with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, checkA11y, shot, signedIn, noSidewaysScroll, freePort, root } from './harness.mjs';

let server;
let browser;
let idp;
let idpBase;
let keys;

before(async () => {
  server = await startServer({ env: { STINT_SSO_ALLOW_PRIVATE: 'true' } });
  browser = await launch();
  keys = mkdtempSync(join(tmpdir(), 'stint-saml-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Test IdP',
    '-keyout', join(keys, 'idp.key'), '-out', join(keys, 'idp.crt')], { stdio: 'ignore' });
});

after(async () => {
  await browser?.close();
  idp?.kill();
  await server?.stop();
  if (keys) rmSync(keys, { recursive: true, force: true });
});

/** Starts the IdP, which reads Stint's metadata for the organization. */
async function startIdp(spMetadata) {
  const python = execFileSync('bash', [join(root, 'e2e', 'saml-idp.sh')], { cwd: root, encoding: 'utf8' }).trim();
  const port = await freePort();
  idpBase = `http://127.0.0.1:${port}`;
  idp = spawn(python, [join(root, 'e2e', 'saml_idp.py'), String(port), spMetadata,
    join(keys, 'idp.key'), join(keys, 'idp.crt')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the IdP did not start:\n${out}`)), 30_000);
    const seen = (d) => {
      out += d;
      if (out.includes('READY')) { clearTimeout(timer); resolve(); }
    };
    idp.stdout.on('data', seen);
    idp.stderr.on('data', seen);
    idp.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the IdP exited (${code}):\n${out}`)); });
  });
}

/** At the IdP: who signs in, and with which signature algorithm. */
async function atIdp(page, email, name, alg) {
  await page.waitForURL((u) => u.href.startsWith(idpBase));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Signature').selectOption(alg);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The IdP's page posts to Stint, whose page posts on by itself.
  await page.waitForURL((u) => u.href.startsWith(server.base) && !u.pathname.startsWith('/sso/saml/acs'));
}

test('career staff set up SAML from metadata; a student signs in through it', async () => {
  const page = await signedIn(browser, server.base, 'careers@dit.example.ac.in');
  await page.goto(`${server.base}/organization/sign-in`);
  const spMetadata = await page.locator('a[href*="/sso/saml/metadata/"]').first().getAttribute('href');
  assert.match(spMetadata, /\/sso\/saml\/metadata\/\d+$/);
  await startIdp(spMetadata);

  // Metadata that is not: the field says so.
  await page.getByLabel("Identity provider's metadata").fill('<not metadata');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save SAML settings' }).click()]);
  assert.ok(await page.locator('#idp_metadata-error').isVisible());

  const metadata = await (await fetch(`${idpBase}/metadata`)).text();
  await page.getByLabel("Identity provider's metadata").fill(metadata);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save SAML settings' }).click()]);
  assert.ok(await page.getByText('Sign-in settings saved').isVisible(), await page.locator('main').innerText());
  assert.ok(await page.getByText('In use now: SAML 2.0').isVisible());
  assert.equal(await page.getByLabel('Sign-in address (HTTP-Redirect)').inputValue(), `${idpBase}/sso`);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Test settings' }).click()]);
  assert.ok(await page.getByText('Test passed.').isVisible(), await page.locator('main').innerText());
  await noSidewaysScroll(page, 'SAML settings at 1280 px');
  await checkA11y(page, 'SAML settings');
  await shot(page, '1280-saml-settings');
  await page.setViewportSize({ width: 390, height: 900 });
  await noSidewaysScroll(page, 'SAML settings at 390 px');
  await shot(page, '390-saml-settings');
  await page.context().close();

  const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
  const student = await context.newPage();
  await student.goto(`${server.base}/login`);
  await student.getByLabel('Email').fill('ravi.menon@dit.example.ac.in');
  await Promise.all([student.waitForNavigation(), student.getByRole('button', { name: 'Sign in' }).click()]);

  // Signed with SHA-1: refused, and the page says why.
  await student.getByRole('link', { name: 'Continue with Deccan Institute of Technology' }).click();
  await atIdp(student, 'ravi.menon@dit.example.ac.in', 'Ravi Menon', 'sha1');
  assert.ok(await student.getByText('You are not signed in').isVisible(), await student.locator('main').innerText());
  assert.ok(await student.getByText('an algorithm Stint does not accept').isVisible());
  await checkA11y(student, 'a refused SAML sign-in');
  await shot(student, '390-saml-refused');

  // Signed with SHA-256: the account is made and affiliated.
  await student.goto(`${server.base}/login`);
  await student.getByLabel('Email').fill('ravi.menon@dit.example.ac.in');
  await Promise.all([student.waitForNavigation(), student.getByRole('button', { name: 'Sign in' }).click()]);
  await student.getByRole('link', { name: 'Continue with Deccan Institute of Technology' }).click();
  await atIdp(student, 'ravi.menon@dit.example.ac.in', 'Ravi Menon', 'sha256');
  assert.equal(new URL(student.url()).pathname, '/');
  assert.match(await student.locator('h1').first().innerText(), /Ravi/);
  await student.goto(`${server.base}/me/university`);
  assert.ok(await student.getByText('Confirmed when you signed in with your university\'s account').isVisible());
  await context.close();
});
