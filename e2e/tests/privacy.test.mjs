// A person's own data in a browser, on the demo: from the account page to
// "Your data", a download asked for, prepared in the background, announced
// in the notifications and downloaded as a .zip whose contents are the
// person's (read with Python's zipfile, an independent reader); the admins'
// list of data requests shows it with its deadline and log. At both widths,
// with axe, and nothing scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, checkA11y, shot, signedIn, noSidewaysScroll } from './harness.mjs';

let server;
let browser;
let dir;

before(async () => {
  server = await startServer();
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'stint-privacy-'));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const STUDENT = { 1280: 'grace.liu@mail.example', 390: 'asha.rao@dit.example.ac.in' };

/** The archive's entry names and its account.json, read by Python. */
function readZip(path) {
  const out = execFileSync('python3', ['-c', `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps({"names": z.namelist(), "account": json.loads(z.read("account.json")), "index": json.loads(z.read("index.json"))}))
`, path]);
  return JSON.parse(out.toString());
}

for (const width of [1280, 390]) {
  test(`download my data at ${width} px`, async () => {
    const email = STUDENT[width];
    const me = await signedIn(browser, server.base, email, { width });
    await me.goto(`${server.base}/account`);
    await Promise.all([me.waitForNavigation(), me.getByRole('link', { name: 'Download your data' }).click()]);
    assert.equal(await me.locator('h1').innerText(), 'Your data');
    await me.getByText('What the download holds').click();
    assert.ok(await me.getByText('messages.json', { exact: true }).isVisible());
    await noSidewaysScroll(me, `your data at ${width} px`);
    await checkA11y(me, `your data at ${width} px`);

    await Promise.all([me.waitForNavigation(), me.getByRole('button', { name: 'Prepare a download' }).click()]);
    // Small accounts are often ready by the time the page loads.
    assert.match(await me.getByRole('status').first().innerText(), /being prepared|is ready/);
    // The worker prepares it within seconds; the page says when it is ready.
    let link;
    for (let i = 0; i < 40; i += 1) {
      link = me.getByRole('link', { name: /^Download the data asked for/ });
      if (await link.count()) break;
      await me.waitForTimeout(500);
      await me.reload();
    }
    assert.equal(await link.count(), 1, 'the download is ready');
    assert.ok(await me.getByText(/Ready \(\d+ KB\); it can be downloaded until/).isVisible());
    await noSidewaysScroll(me, `a ready download at ${width} px`);
    await checkA11y(me, `a ready download at ${width} px`);
    await shot(me, `${width}-your-data`);

    const [download] = await Promise.all([me.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /^stint-data-\d+-\d{4}-\d{2}-\d{2}\.zip$/);
    const file = join(dir, `${width}.zip`);
    await download.saveAs(file);
    const zip = readZip(file);
    assert.equal(zip.account[0].email, email);
    for (const name of ['README.txt', 'index.json', 'profile.json', 'applications.json', 'notifications.json', 'resume.json']) {
      assert.ok(zip.names.includes(name), `${name} in ${zip.names}`);
    }
    assert.ok(zip.index.sections.length >= 25, 'every section is listed in the index');

    // Announced among the notifications.
    await me.goto(`${server.base}/me/notifications`);
    assert.ok(await me.getByText('Your data is ready to download').first().isVisible());
    await me.context().close();
  });
}

test('the admins see every request with its deadline', async () => {
  const admin = await signedIn(browser, server.base, 'admin@stint.example', { width: 1280 });
  await admin.goto(`${server.base}/admin/data-requests`);
  assert.equal(await admin.locator('h1').innerText(), 'Data requests');
  for (const email of Object.values(STUDENT)) {
    assert.ok(await admin.getByText(email).first().isVisible(), email);
  }
  assert.ok(await admin.getByText(/data\.export_downloaded/).first().isVisible());
  await checkA11y(admin, 'data requests');
  await noSidewaysScroll(admin, 'data requests');
  await shot(admin, '1280-admin-data-requests');
  await admin.context().close();
});

// Leaving: a demo student with an engagement in progress (and credit for
// it) is told what to finish first, with a link; once she has cancelled
// the engagement (which ends the credit), her password deletes the
// account, she is signed out, cannot sign in again, and the employer's
// workspace shows "Former student".
test('delete my account: refused while an engagement is open, then done', async () => {
  const email = 'pooja.reddy@dit.example.ac.in';
  const me = await signedIn(browser, server.base, email, { width: 390 });
  await me.goto(`${server.base}/account/data`);
  const waiting = me.getByRole('status').filter({ hasText: 'Before your account can be deleted' });
  assert.match(await waiting.innerText(), /engagement on .* is still open/);
  assert.equal(await me.getByRole('button', { name: 'Delete my account' }).count(), 0);
  await noSidewaysScroll(me, 'deletion refused at 390 px');
  await checkA11y(me, 'deletion refused at 390 px');
  await shot(me, 'privacy-delete-refused-390');

  await Promise.all([me.waitForNavigation(), waiting.locator('a[href^="/engagements/"]').click()]);
  const workspace = new URL(me.url()).pathname;
  assert.match(workspace, /^\/engagements\/\d+$/);
  await Promise.all([me.waitForNavigation(), me.getByRole('link', { name: 'Cancel this engagement…' }).click()]);
  await me.locator('textarea[name=reason]').fill('I am leaving Stint and cannot finish the questions.');
  await Promise.all([me.waitForNavigation(), me.getByRole('button', { name: 'Cancel the engagement' }).click()]);

  await me.goto(`${server.base}/account/data`);
  assert.equal(await me.getByText('Before your account can be deleted').count(), 0);
  // A wrong password is refused in place.
  await me.getByLabel('Your password, to confirm it is you').fill('not my password');
  await Promise.all([me.waitForNavigation(), me.getByRole('button', { name: 'Delete my account' }).click()]);
  assert.equal(await me.getByRole('alert').innerText(), 'Your password is not right.');
  await checkA11y(me, 'deletion form with an error');
  await me.getByLabel('Your password, to confirm it is you').fill('stint-demo-2026');
  await Promise.all([me.waitForNavigation(), me.getByRole('button', { name: 'Delete my account' }).click()]);
  assert.equal(new URL(me.url()).pathname, '/');
  assert.match(await me.getByRole('status').first().innerText(), /Your account is deleted/);
  await shot(me, 'privacy-deleted-390');
  await me.goto(`${server.base}/account`);
  assert.ok(new URL(me.url()).pathname.startsWith('/login'), 'signed out');
  await me.getByLabel('Email').fill(email);
  await me.getByLabel('Password').fill('stint-demo-2026');
  await Promise.all([me.waitForNavigation(), me.getByRole('button', { name: 'Sign in' }).click()]);
  assert.ok(new URL(me.url()).pathname.startsWith('/login'), 'a deleted account cannot sign in');
  await me.context().close();

  // The employer's workspace keeps the engagement, under the pseudonym.
  const boss = await signedIn(browser, server.base, 'oliver@lumenlearning.example');
  await boss.goto(`${server.base}${workspace}`);
  const text = await boss.locator('main').innerText();
  assert.ok(text.includes('Former student'), 'pseudonym shown');
  assert.ok(!text.includes('Pooja'), 'the name is gone');
  await boss.context().close();
});

// The privacy page, from the footer, signed out: the retention settings and
// the cookies, readable on a phone.
test('the privacy page states retention and cookies', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/`);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Privacy', exact: true }).click()]);
  assert.equal(await page.locator('h1').innerText(), 'Privacy');
  const text = await page.locator('main').innerText();
  for (const said of ['365 days after it closed', 'stint_session', 'stint_sso', 'stint_lti']) {
    assert.ok(text.includes(said), `${said} missing`);
  }
  await noSidewaysScroll(page, 'privacy page at 390 px');
  await checkA11y(page, 'privacy page at 390 px');
  await shot(page, 'privacy-page-390');
  await ctx.close();
});
