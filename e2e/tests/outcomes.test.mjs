// A university's outcomes report in a browser, on the demo: career staff
// pick a period, read the figures, charts and their tables, download a
// table as CSV, and see equity groups that are too small hidden; a student
// answers the optional equity questions. At both widths, with axe, and
// nothing scrolls sideways.
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

const as = (email, width = 1280) => signedIn(browser, server.base, email, { width });

for (const width of [1280, 390]) {
  test(`outcomes report at ${width} px`, async () => {
    const page = await as('careers@dit.example.ac.in', width);
    await page.goto(`${server.base}/university`);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Outcomes report' }).click()]);
    assert.match(await page.locator('h1').innerText(), /Outcomes of Deccan Institute of Technology students/);
    // The headline figures come from the demo's history.
    const taking = page.locator('.stat').filter({ hasText: 'students taking part' });
    const n = Number((await taking.locator('strong').innerText()).trim());
    assert.ok(n >= 10, `students taking part: ${n}`);
    // Every chart is an image with a name, followed by its numbers.
    const charts = page.locator('figure.chart svg[role="img"]');
    assert.ok((await charts.count()) >= 6, 'charts are drawn on the server');
    for (const label of await charts.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))) {
      assert.ok(label && label.length > 5, 'each chart is named');
    }
    assert.ok(await page.getByRole('heading', { name: 'Month by month' }).isVisible());
    const months = page.getByRole('table', { name: /per month/ });
    const rows = await months.locator('tbody tr').count();
    assert.ok(rows === 12 || rows === 13, `the last twelve months touch 12 or 13 calendar months, not ${rows}`);
    // Small equity groups are hidden, never a number.
    assert.ok((await page.getByText('Hidden: too few students').count()) > 0);
    await noSidewaysScroll(page, `outcomes at ${width} px`);
    await checkA11y(page, `outcomes at ${width} px`);
    await shot(page, `${width}-outcomes`);

    // Another period: the calendar year preset, then a typed period.
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'This calendar year' }).click()]);
    assert.equal(await page.getByRole('link', { name: 'This calendar year' }).getAttribute('aria-current'), 'true');
    await page.fill('#from', '2026-06-01');
    await page.fill('#to', '2026-03-01');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Show outcomes' }).click()]);
    assert.match(await page.locator('#to-error').innerText(), /ends on or after the day it starts/);
    assert.equal(await page.locator('#to').getAttribute('aria-invalid'), 'true');
    await checkA11y(page, `outcomes with a bad period at ${width} px`);

    if (width === 1280) {
      // A table as CSV: the file the link names, with the header and a row
      // per month.
      await page.goto(`${server.base}/university/outcomes`);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download month by month (CSV)' }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^outcomes-months-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
      const path = await download.path();
      const body = (await import('node:fs')).readFileSync(path, 'utf8');
      const lines = body.trim().split(/\r?\n/);
      assert.equal(lines[0], 'month,applications,hires,completed');
      assert.ok(lines.length === 13 || lines.length === 14, `${lines.length} lines`);
      // The print layout hides the form and the links.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('form.period-form').isVisible(), false);
      assert.equal(await page.getByRole('link', { name: 'Download month by month (CSV)' }).isVisible(), false);
      await page.emulateMedia({ media: 'screen' });
    }
    await page.context().close();
  });
}

test('a student answers the optional equity questions; faculty and employers cannot see outcomes', async () => {
  const student = await as('pooja.reddy@dit.example.ac.in', 390);
  await student.goto(`${server.base}/me/university`);
  const form = student.locator('form[action="/me/university/about"]');
  await form.getByRole('group', { name: /first in your family/ }).getByLabel('Yes').check();
  await form.getByRole('group', { name: /gender/ }).getByLabel('Prefer not to say').check();
  await Promise.all([student.waitForNavigation(), form.getByRole('button', { name: 'Save my answers' }).click()]);
  assert.match(await student.locator('.notice[role="status"]').innerText(), /only ever counted in totals/);
  assert.ok(await form.getByRole('group', { name: /first in your family/ }).getByLabel('Yes').isChecked());
  await noSidewaysScroll(student, '/me/university at 390 px');
  await checkA11y(student, '/me/university with the equity questions');
  await student.context().close();

  for (const email of ['arvind.rao@dit.example.ac.in', 'isla@thistleandthread.example']) {
    const page = await as(email);
    const r = await page.goto(`${server.base}/university/outcomes`);
    assert.equal(r.status(), 403, `${email} sees outcomes`);
    await page.context().close();
  }
});
