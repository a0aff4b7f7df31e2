// Every main page at phone width (390 px) and on a desktop (1280 px), as
// each kind of person sees it: nothing scrolls sideways (WCAG 1.4.10), axe
// finds no serious violation, and the signed-in navigation folds into a menu
// that opens by keyboard. Screenshots of each page are kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, checkA11y, shot, signedIn } from './harness.mjs';

let server;
let browser;
const DEMO_PASSWORD = 'stint-demo-2026';

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function as(email, width) {
  if (email) return signedIn(browser, server.base, email, { width, height: 844, password: DEMO_PASSWORD });
  const ctx = await browser.newContext({ viewport: { width, height: 844 }, bypassCSP: true });
  return ctx.newPage();
}

/** The first link on `path` whose href matches `re`, as a path. */
async function firstLink(page, path, re) {
  await page.goto(`${server.base}${path}`);
  const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const href = hrefs.find((h) => re.test(h));
  assert.ok(href, `no link matching ${re} on ${path}`);
  return href;
}

/** Visits each path, checks width and accessibility, and photographs it. */
async function sweep(page, who, paths, width) {
  for (const path of paths) {
    const r = await page.goto(`${server.base}${path}`);
    assert.ok(r.ok(), `${who} ${path}: ${r.status()}`);
    const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scroll <= inner, `${who} ${path} scrolls sideways at ${width} px: ${scroll} > ${inner}`);
    await checkA11y(page, `${who} ${path} at ${width} px`);
    const name = `${width}-${who}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}`;
    await shot(page, name);
  }
}

for (const width of [390, 1280]) {
  test(`main pages at ${width} px: no sideways scrolling, no serious axe violation`, async () => {
    const visitor = await as(null, width);
    const project = await firstLink(visitor, '/projects', /^\/projects\/\d+$/);
    const org = await firstLink(visitor, project, /^\/organizations\//);
    await sweep(visitor, 'visitor', ['/', '/projects', project, org, '/login', '/signup', '/api/docs'], width);

    const student = await as('asha.rao@dit.example.ac.in', width);
    const work = await firstLink(student, '/me/work', /^\/engagements\/\d+$/);
    await sweep(student, 'student', ['/', '/projects', project, '/me/applications', '/me/work', work,
      '/me/profile', '/me/notifications', '/me/payout', '/account'], width);

    const boss = await as('vikram.iyer@meridian-cg.example', width);
    const applicants = await firstLink(boss, '/employer', /^\/employer\/projects\/\d+\/applicants$/);
    await sweep(boss, 'employer', ['/employer', applicants, `${applicants}?view=list`, '/employer/projects/new', '/employer/billing'], width);

    const admin = await as('admin@stint.example', width);
    await sweep(admin, 'admin', ['/admin/verifications', '/admin/disputes', '/admin/payments'], width);
    for (const p of [visitor, student, boss, admin]) await p.context().close();
  });
}

test('on a phone the signed-in navigation is one row and a menu that opens by keyboard', async () => {
  const page = await as('asha.rao@dit.example.ac.in', 390);
  await page.goto(`${server.base}/me/applications`);
  const header = await page.locator('header.site').boundingBox();
  assert.ok(header.height < 80, `header is ${header.height} px tall`);
  const menu = page.locator('details.menu > summary');
  assert.ok(await menu.isVisible());
  assert.equal(await page.getByRole('link', { name: 'My work' }).count(), 0, 'links wait in the closed menu');
  await menu.focus();
  await page.keyboard.press('Enter');
  const link = page.getByRole('link', { name: 'My work' });
  await link.waitFor();
  assert.equal(await page.locator('details.menu a[aria-current="page"]').innerText(), 'My applications');
  await shot(page, '390-student-menu-open');
  await link.click();
  await page.waitForURL(/\/me\/work$/);
  await page.context().close();
});

for (const width of [390, 1280]) {
  test(`applying at ${width} px: the action at the top, a counter, errors that take focus`, async () => {
    const page = await as('karan.mehta@dit.example.ac.in', width);
    await page.goto(`${server.base}/`);
    const project = await page.locator('ol.suggestions h2 a').first().getAttribute('href');
    await page.goto(`${server.base}${project}`);
    const apply = page.getByRole('link', { name: 'Apply to this project' }).first();
    const box = await apply.boundingBox();
    assert.ok(box && box.y < 844, `the Apply action is on the first screen (y = ${box?.y})`);
    await shot(page, `${width}-apply-1-project`);
    await apply.click();
    await page.waitForURL(/\/apply$/);
    await page.getByLabel('Your pitch').fill('Too short');
    assert.match(await page.locator('#pitch-count').innerText(), /^9 of 1200 characters/);
    await page.getByRole('button', { name: 'Send application' }).click();
    await page.waitForURL(/\/apply$/);
    await page.locator('.error-summary').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'error-summary');
    await checkA11y(page, `apply errors at ${width}`);
    await shot(page, `${width}-apply-2-errors`);
    // Opening the same address again shows the form (no 405).
    const again = await page.goto(page.url());
    assert.equal(again.status(), 200, 'the URL opens again');
    await page.context().close();
  });
}
