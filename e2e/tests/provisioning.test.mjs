// Provisioning in the browser: the demo university's owner makes a token
// for its directory (shown once), the directory creates a student with it
// over SCIM, the page counts them, the directory pushes a group that the
// owner maps to faculty (its member's account becomes faculty), and a
// revoked token stops working. At 1280 and 390 px, with axe, and nothing
// scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, checkA11y, shot, signedIn, noSidewaysScroll } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an owner makes a token, the directory uses it, the owner revokes it', async () => {
  const page = await signedIn(browser, server.base, 'careers@dit.example.ac.in');
  await page.goto(`${server.base}/university/team`);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /provisioning/ }).click()]);
  assert.match(page.url(), /\/organization\/provisioning$/);
  assert.ok(await page.getByText(`${server.base}/scim/v2`).isVisible(), 'the SCIM base address is shown');
  assert.ok(await page.getByText('No token yet').isVisible());

  // A name is needed.
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create token' }).click()]);
  assert.ok(await page.locator('#label-error').isVisible());
  await page.getByLabel('Name of the new token').fill('Entra ID');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create token' }).click()]);
  const secret = await page.getByLabel('Token', { exact: true }).inputValue();
  assert.match(secret, /^stint_scim_/);
  await noSidewaysScroll(page, 'provisioning at 1280 px');
  await checkA11y(page, 'provisioning with a new token');
  await shot(page, '1280-provisioning');

  // The directory provisions a student with it.
  const r = await fetch(`${server.base}/scim/v2/Users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ravi.k@dit.example.ac.in',
      name: { givenName: 'Ravi', familyName: 'Kumar' },
      emails: [{ value: 'ravi.k@dit.example.ac.in', primary: true }],
    }),
  });
  const ravi = await r.json();
  assert.equal(r.status, 201, JSON.stringify(ravi));
  const g = await fetch(`${server.base}/scim/v2/Groups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Faculty of Engineering',
      members: [{ value: ravi.id }],
    }),
  });
  assert.equal(g.status, 201, await g.text());

  await page.goto(`${server.base}/organization/provisioning`);
  assert.ok(await page.getByText('1 person is provisioned').isVisible());
  // The owner maps the group to faculty; Ravi's account follows.
  await page.getByLabel('Role for Faculty of Engineering', { exact: true }).selectOption('faculty');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save role for Faculty of Engineering' }).click()]);
  assert.ok(await page.getByText("Saved. The group's members have the role now").isVisible());
  assert.equal(await page.getByLabel('Role for Faculty of Engineering', { exact: true }).inputValue(), 'faculty');
  const team = await page.context().newPage();
  await team.goto(`${server.base}/university/team`);
  assert.ok(await team.getByText('Ravi Kumar').first().isVisible(), 'Ravi is on the staff list');
  await team.close();
  assert.equal(await page.getByLabel('Token', { exact: true }).count(), 0, 'the secret is not shown again');
  await page.setViewportSize({ width: 390, height: 900 });
  await noSidewaysScroll(page, 'provisioning at 390 px');
  await checkA11y(page, 'provisioning at 390 px');
  await shot(page, '390-provisioning');

  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Revoke Entra ID' }).click()]);
  assert.ok(await page.getByText('The token is revoked').isVisible());
  const after = await fetch(`${server.base}/scim/v2/Users`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(after.status, 401);
  await page.context().close();
});
