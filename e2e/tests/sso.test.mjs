// Single sign-on with a real OpenID provider: the `oidc-provider` package
// (npm) runs on loopback with its development login and consent pages and
// its default claims rules, so `email` and `name` reach Stint only through
// the userinfo endpoint. The demo university's career staff set it up,
// test it and require it, all in the browser; a new student then signs in
// through it (the account is made and affiliated with proof), and an
// existing student finds their password refused and their institution's
// sign-in offered instead. At 1280 and 390 px, with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Provider } from 'oidc-provider';
import { startServer, launch, checkA11y, shot, signedIn, noSidewaysScroll, freePort } from './harness.mjs';

const SECRET = 'e2e-client-secret-of-some-length';
const PEOPLE = {
  'meera.iyer@dit.example.ac.in': 'Meera Iyer',
  'asha.rao@dit.example.ac.in': 'Asha Rao',
};

let server;
let browser;
let idp;
let issuer;

before(async () => {
  server = await startServer({ env: { STINT_SSO_ALLOW_PRIVATE: 'true' } });
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  const oidc = new Provider(issuer, {
    clients: [{
      client_id: 'stint',
      client_secret: SECRET,
      redirect_uris: [`${server.base}/sso/callback`],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The development login takes any login name as the account: here,
    // the email address.
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: id, email_verified: true, name: PEOPLE[id] ?? 'Someone' };
        },
      };
    },
  });
  // Warnings about development keys and pages are expected here.
  oidc.on('server_error', (_ctx, err) => console.error('oidc-provider:', err));
  await new Promise((resolve) => { idp = oidc.listen(port, '127.0.0.1', resolve); });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (idp ? idp.close(resolve) : resolve()));
  await server?.stop();
});

/** Fills the provider's development login and consent pages. */
async function atProvider(page, login) {
  await page.waitForURL((u) => u.href.startsWith(issuer));
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'anything');
  await Promise.all([page.waitForNavigation(), page.locator('button[type="submit"]').click()]);
  if (page.url().startsWith(issuer)) {
    // Consent, the first time this account signs in to the client.
    await page.locator('button[type="submit"]').click();
  }
  await page.waitForURL((u) => u.href.startsWith(server.base));
}

test('career staff set up, test and require the university sign-in', async () => {
  const page = await signedIn(browser, server.base, 'careers@dit.example.ac.in');
  await page.goto(`${server.base}/university/team`);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /sign-in/i }).first().click()]);
  assert.match(page.url(), /\/organization\/sign-in$/);
  assert.ok(await page.getByText(`${server.base}/sso/callback`).isVisible(), 'the redirect address to register is shown');

  // A wrong address first: the page says what is wrong, and keeps nothing.
  await page.getByLabel('Issuer').fill('not an address');
  await page.getByLabel('Client id').fill('stint');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save OpenID Connect settings' }).click()]);
  assert.ok(await page.getByText('enter the full address').isVisible());

  await page.getByLabel('Issuer').fill(issuer);
  await page.getByLabel('Client id').fill('stint');
  await page.getByLabel('Client secret').fill(SECRET);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save OpenID Connect settings' }).click()]);
  assert.ok(await page.getByText('Not tested yet.').isVisible());
  assert.ok(await page.getByRole('button', { name: /^Require/ }).isDisabled(), 'require waits for a test');

  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Test settings' }).click()]);
  assert.ok(await page.getByText('Test passed.').isVisible(), await page.locator('main').innerText());
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /^Require/ }).click()]);
  assert.ok(await page.getByText('must use Deccan Institute of Technology').isVisible());
  await noSidewaysScroll(page, 'sign-in settings at 1280 px');
  await checkA11y(page, 'sign-in settings');
  await shot(page, '1280-sso-settings');
  await page.setViewportSize({ width: 390, height: 900 });
  await noSidewaysScroll(page, 'sign-in settings at 390 px');
  await shot(page, '390-sso-settings');
  await page.context().close();
});

test('a new student signs in through the university and is affiliated', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.base}/login`);
  await page.getByLabel('Email').fill('meera.iyer@dit.example.ac.in');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  const go = page.getByRole('link', { name: 'Continue with Deccan Institute of Technology' });
  assert.ok(await go.isVisible());
  assert.equal(await page.getByLabel('Password').count(), 0, 'a required sign-in shows no password field');
  await noSidewaysScroll(page, 'sign-in with the institution at 390 px');
  await checkA11y(page, 'sign-in with the institution');
  await shot(page, '390-sso-login');
  await go.click();
  await atProvider(page, 'meera.iyer@dit.example.ac.in');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.match(await page.locator('h1').first().innerText(), /Meera/);

  // The account is a confirmed student of the university, by its sign-in.
  await page.goto(`${server.base}/me/university`);
  assert.ok(await page.getByText('Confirmed when you signed in with your university\'s account').isVisible());
  await checkA11y(page, 'the university page of a student confirmed by sign-in');
  await context.close();
});

test('an existing student is sent to the university, not asked for a password', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.base}/login`);
  await page.getByLabel('Email').fill('asha.rao@dit.example.ac.in');
  await page.getByLabel('Password').fill('stint-demo-2026');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  assert.match(new URL(page.url()).pathname, /^\/login/);
  assert.ok(await page.getByText('requires its own sign-in').isVisible());
  await page.getByRole('link', { name: 'Continue with Deccan Institute of Technology' }).click();
  await atProvider(page, 'asha.rao@dit.example.ac.in');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.match(await page.locator('h1').first().innerText(), /Asha/);
  await context.close();
});
